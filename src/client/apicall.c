/* The service calls behind `call=` buttons. */
#include "config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "apicall.h"
#include "callname.h"
#include "xmalloc.h"

/* Take over a result's failure into env. */
static enum errcode
apicall_fail(struct apicall_env *env, struct api_result *r)
{
	env->err = r->err;
	env->params = r->params;
	env->field = r->field;
	r->field = NULL;
	api_result_free(r);
	return env->err;
}

/* GET /api/v1/info: the service's name and rules. */
enum errcode
apicall_info(struct apicall_env *env)
{
	struct api_result r;

	env->err = ERR_NONE;
	env->field = NULL;
	if (api_request(env->api, "GET", "/api/v1/info", NULL, NULL,
	    env->tick, env->tick_ctx, &r) != ERR_NONE)
		return apicall_fail(env, &r);
	if (r.json == NULL || !session_set_info(env->sess, r.json))
		r.err = ERR_NET_BAD_RESPONSE;
	return apicall_fail(env, &r);
}

/* POST /api/v1/session with user_id and password from the screen.  The
 * password field is wiped after the attempt, whatever its outcome: a
 * kiosk must not keep it on screen or in memory for the next person. */
static enum errcode
apicall_session_create(struct apicall_env *env)
{
	struct fieldval *uid = store_get(env->store, env->screen, "user_id");
	struct fieldval *pw = store_get(env->store, env->screen, "password");
	struct api_result r;
	cJSON *obj = cJSON_CreateObject();
	char *u = editbuf_utf8(&uid->eb), *p = editbuf_utf8(&pw->eb), *body;

	cJSON_AddStringToObject(obj, "user_id", u);
	cJSON_AddStringToObject(obj, "password", p);
	cJSON_AddStringToObject(obj, "lang", env->sess->lang);
	body = cJSON_PrintUnformatted(obj);
	/* cJSON keeps its own copy of the password: wipe it too. */
	{
		cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, "password");

		if (item != NULL && item->valuestring != NULL)
			wipe(item->valuestring, strlen(item->valuestring));
	}
	cJSON_Delete(obj);
	free_secret(&p);
	free(u);
	editbuf_clear(&pw->eb);
	if (body == NULL) {
		env->err = ERR_NET_OTHER;
		return env->err;
	}
	/* api_request wipes and frees body; cJSON's allocator is malloc. */
	if (api_request(env->api, "POST", "/api/v1/session", NULL, body,
	    env->tick, env->tick_ctx, &r) != ERR_NONE)
		return apicall_fail(env, &r);
	if (r.json == NULL || !session_login(env->sess, r.json))
		r.err = ERR_NET_BAD_RESPONSE;
	return apicall_fail(env, &r);
}

/* DELETE /api/v1/session.  Unless the person cancelled, the token is
 * forgotten whatever the answer: a person who pressed "Log out" at a
 * counter terminal must not stay logged in there because the network
 * failed.  The failure is still reported. */
static enum errcode
apicall_session_delete(struct apicall_env *env)
{
	struct api_result r;

	if (!session_active(env->sess)) {
		env->err = ERR_NONE;
		return ERR_NONE;
	}
	api_request(env->api, "DELETE", "/api/v1/session", env->sess->token,
	    NULL, env->tick, env->tick_ctx, &r);
	/* A dead or expired session is logged out already. */
	if (apicall_session_lost(r.err))
		r.err = ERR_NONE;
	if (r.err != ERR_NET_CANCELLED)
		session_logout(env->sess);
	return apicall_fail(env, &r);
}

/* POST /api/v1/session/extend (003 §2.6 [OK]): the session's idle
 * deadline moves on by the full limit. */
static enum errcode
apicall_session_extend(struct apicall_env *env)
{
	struct api_result r;

	if (!session_active(env->sess)) {
		env->err = ERR_UNAUTHORIZED;
		return env->err;
	}
	if (api_request(env->api, "POST", "/api/v1/session/extend",
	    env->sess->token, NULL, env->tick, env->tick_ctx, &r) == ERR_NONE)
		session_touch(env->sess);
	return apicall_fail(env, &r);
}

/* Add the value of one field to a request body: text as a string, a
 * toggle as "yes"/"no". */
static void
apicall_add_field(cJSON *obj, struct store *st, const char *screen,
    const struct sf_item *it)
{
	struct fieldval *fv = store_get(st, screen, it->name);
	const char *member = it->send != NULL ? it->send : it->name;
	char *v;

	if (it->fkind == SF_FIELD_TOGGLE) {
		cJSON_AddStringToObject(obj, member, fv->on ? "yes" : "no");
		return;
	}
	v = editbuf_utf8(&fv->eb);
	cJSON_AddStringToObject(obj, member, v);
	wipe(v, strlen(v));
	free(v);
}

/* with=: "lang" is the display language; other names come from what
 * earlier answers kept (a registration handle, say). */
static void
apicall_add_with(cJSON *obj, const struct session *sess, const char *with)
{
	char *list = xstrdup(with), *save = NULL, buf[32];

	for (char *name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		const char *v = strcmp(name, "lang") == 0 ? sess->lang :
		    session_var(sess, name, buf, sizeof buf);

		if (v != NULL)
			cJSON_AddStringToObject(obj, name, v);
	}
	free(list);
}

/* Wipe the secrets cJSON holds in a body before it is freed. */
static void
apicall_wipe_json(cJSON *obj)
{
	cJSON *m;

	cJSON_ArrayForEach(m, obj) {
		if (cJSON_IsString(m) && m->valuestring != NULL)
			wipe(m->valuestring, strlen(m->valuestring));
	}
}

/* A generic call, "METHOD:/path": the form's fields (and with=) as a JSON
 * object, the token when the screen needs a session; an answer's members
 * are kept for later screens, and an answer that is a new session (R7)
 * logs the person in.  Password fields are wiped afterwards, whatever the
 * outcome. */
static enum errcode
apicall_generic(const char *target, struct apicall_env *env)
{
	char *expanded = placeholder_fill(env->ph, target);
	const char *colon;
	char method[8], *body = NULL;
	struct api_result r;
	cJSON *obj = cJSON_CreateObject(), *sent = cJSON_CreateObject();
	const struct sf_screen *form = env->form;
	bool any = false;

	/* "POST:/api/v1/me/receipts/{vars.row.number}/register". */
	target = expanded;
	colon = strchr(target, ':');
	snprintf(method, sizeof method, "%.*s", (int)(colon - target), target);
	for (size_t i = 0; form != NULL && i < form->nitems; i++) {
		const struct sf_item *it = &form->item[i];

		if (it->kind != SF_FIELD || it->nosend ||
		    it->for_field != NULL ||
		    (it->cond != NULL && !session_cond(env->sess, it->cond)))
			continue;
		apicall_add_field(obj, env->store, form->id, it);
		/* What was sent is remembered too ("sent to {vars.email}"),
		 * except passwords. */
		if (it->fkind != SF_FIELD_PASSWORD && !it->secret)
			apicall_add_field(sent, env->store, form->id, it);
		any = true;
	}
	if (env->with != NULL) {
		apicall_add_with(obj, env->sess, env->with);
		any = true;
	}
	if (any || strcmp(method, "GET") != 0)
		body = cJSON_PrintUnformatted(obj);
	if (strcmp(method, "GET") == 0 || strcmp(method, "DELETE") == 0) {
		free(body);
		body = NULL;
	}
	apicall_wipe_json(obj);
	cJSON_Delete(obj);
	for (size_t i = 0; form != NULL && i < form->nitems; i++) {
		if (form->item[i].kind == SF_FIELD &&
		    (form->item[i].fkind == SF_FIELD_PASSWORD ||
		    form->item[i].secret))
			editbuf_clear(&store_get(env->store, form->id,
			    form->item[i].name)->eb);
	}
	if (api_request(env->api, method, colon + 1,
	    env->auth ? env->sess->token : NULL, body, env->tick,
	    env->tick_ctx, &r) != ERR_NONE) {
		cJSON_Delete(sent);
		free(expanded);
		return apicall_fail(env, &r);
	}
	if (r.json != NULL) {
		if (cJSON_GetObjectItemCaseSensitive(r.json, "token") != NULL &&
		    !session_login(env->sess, r.json))
			r.err = ERR_NET_BAD_RESPONSE;
		else if (env->keep_as != NULL)
			session_keep_as(env->sess, env->keep_as, r.json);
		else {
			session_keep(env->sess, sent);
			session_keep(env->sess, r.json);
		}
	} else if (env->auth)
		session_touch(env->sess);
	if (r.err == ERR_NONE && r.json == NULL)
		session_keep(env->sess, sent);
	cJSON_Delete(sent);
	free(expanded);
	return apicall_fail(env, &r);
}

/* PATCH /api/v1/session {lang}: a language chosen after log-in reaches
 * the mails this session causes (P2). */
static enum errcode
apicall_session_lang(struct apicall_env *env)
{
	struct api_result r;
	cJSON *obj;
	char *body;

	if (!session_active(env->sess)) {
		env->err = ERR_NONE;
		return ERR_NONE;
	}
	obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "lang", env->sess->lang);
	body = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	if (body == NULL) {
		env->err = ERR_NET_OTHER;
		return env->err;
	}
	if (api_request(env->api, "PATCH", "/api/v1/session", env->sess->token,
	    body, env->tick, env->tick_ctx, &r) == ERR_NONE)
		session_touch(env->sess);
	return apicall_fail(env, &r);
}

/* Run a named call. */
enum errcode
apicall_run(const char *name, struct apicall_env *env)
{
	env->err = ERR_NONE;
	env->field = NULL;
	memset(&env->params, 0, sizeof env->params);
	switch (callname_parse(name)) {
	case CALL_GENERIC:
		return apicall_generic(name, env);
	case CALL_SESSION_CREATE:
		return apicall_session_create(env);
	case CALL_SESSION_DELETE:
		return apicall_session_delete(env);
	case CALL_SESSION_EXTEND:
		return apicall_session_extend(env);
	case CALL_SESSION_LANG:
		return apicall_session_lang(env);
	case CALL_UNKNOWN:
		break;
	}
	env->err = ERR_NET_OTHER;
	return env->err;
}

/* The session is gone: the service no longer knows the token. */
bool
apicall_session_lost(enum errcode code)
{
	return code == ERR_UNAUTHORIZED || code == ERR_SESSION_EXPIRED;
}
