/* The service calls behind `call=` buttons. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "apicall.h"
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

/* The calls screens may name. */
static const struct {
	const char *name;
	enum errcode (*run)(struct apicall_env *);
} apicall_table[] = {
	{ "session.create", apicall_session_create },
	{ "session.delete", apicall_session_delete },
	{ "session.extend", apicall_session_extend },
};

/* True if a screen may name this call. */
bool
apicall_known(const char *name)
{
	for (size_t i = 0; i < sizeof apicall_table / sizeof apicall_table[0];
	    i++) {
		if (strcmp(apicall_table[i].name, name) == 0)
			return true;
	}
	return false;
}

/* Run a named call. */
enum errcode
apicall_run(const char *name, struct apicall_env *env)
{
	env->err = ERR_NONE;
	env->field = NULL;
	memset(&env->params, 0, sizeof env->params);
	for (size_t i = 0; i < sizeof apicall_table / sizeof apicall_table[0];
	    i++) {
		if (strcmp(apicall_table[i].name, name) == 0)
			return apicall_table[i].run(env);
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
