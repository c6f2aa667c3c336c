/* Service information and the logged-in person. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datefmt.h"
#include "i18n.h"
#include "jsonutil.h"
#include "session.h"
#include "xmalloc.h"

/* Empty session. */
void
session_init(struct session *s)
{
	memset(s, 0, sizeof *s);
	s->lang = "ja";
}

/* Replace *dst with a copy of src (or NULL). */
static void
session_setstr(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

/* Take the service's rules; the policy is what validate_password needs,
 * so the client never hard-codes a profile's numbers. */
bool
session_set_info(struct session *s, const cJSON *info)
{
	const cJSON *pol = cJSON_GetObjectItemCaseSensitive(info,
	    "password_policy");
	const char *name = json_string_or(info, "service_name", NULL);
	const char *sym;

	if (name == NULL || !cJSON_IsObject(pol))
		return false;
	session_setstr(&s->service_name, name);
	session_setstr(&s->profile, json_string_or(info, "profile", ""));
	session_setstr(&s->user_id_kind, json_string_or(info, "user_id_kind",
	    ""));
	s->epoch++;
	s->policy.min_length = (int)json_int_or(pol, "min_length", 1);
	s->policy.max_length = (int)json_int_or(pol, "max_length", 0);
	s->policy.min_classes = (int)json_int_or(pol, "min_classes", 0);
	sym = json_string_or(pol, "symbols", "");
	if (strlen(sym) >= sizeof s->policy.symbols)
		sym = "";
	strcpy(s->policy.symbols, sym);
	cJSON_Delete(s->info);
	s->info = cJSON_Duplicate(info, 1);
	s->info_known = true;
	return true;
}

/* Take the token and the person's names from a log-in answer. */
bool
session_login(struct session *s, const cJSON *reply)
{
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(reply, "user");
	const char *token = json_string_or(reply, "token", NULL);

	if (token == NULL || *token == '\0' || !cJSON_IsObject(user))
		return false;
	session_logout(s);
	s->epoch++;
	s->token = xstrdup(token);
	session_setstr(&s->user_id, json_string_or(user, "user_id", ""));
	session_setstr(&s->name, json_string_or(user, "name", ""));
	s->idle_timeout = (long)json_int_or(reply, "idle_timeout", 0);
	s->idle_warning = (long)json_int_or(reply, "idle_warning", 0);
	session_touch(s);
	return true;
}

double
session_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
session_touch(struct session *s)
{
	s->deadline = session_clock() + (double)s->idle_timeout;
	s->warned = false;
}

/* Forget the person. */
void
session_logout(struct session *s)
{
	s->epoch++;
	cJSON_Delete(s->vars);
	s->vars = NULL;
	free_secret(&s->token);
	free_clear(&s->user_id);
	free_clear(&s->name);
}

/* True while logged in. */
bool
session_active(const struct session *s)
{
	return s->token != NULL;
}

void
session_duration(long long v, char *buf, size_t bufsize)
{
	if (v % 86400 == 0 && v >= 86400 * 2)
		snprintf(buf, bufsize, ngettext("%lld day", "%lld days",
		    (unsigned long)(v / 86400)), v / 86400);
	else if (v % 3600 == 0 && v >= 3600)
		snprintf(buf, bufsize, ngettext("%lld hour", "%lld hours",
		    (unsigned long)(v / 3600)), v / 3600);
	else if (v >= 60)
		snprintf(buf, bufsize, ngettext("%lld minute", "%lld minutes",
		    (unsigned long)(v / 60)), v / 60);
	else
		snprintf(buf, bufsize, ngettext("%lld second", "%lld seconds",
		    (unsigned long)v), v);
}

/* The value at a dotted path under root, formatted for a person: a
 * string as it is; a number as it is, or converted from seconds with
 * ":minutes", ":hours", ":days", ":duration" ("30 minutes", "24 hours"),
 * or from epoch seconds with ":datetime" (local time, in the language's
 * own form).  NULL if there is no such value (or it is null). */
static const char *
session_lookup(const cJSON *root, const char *key, size_t len, char *buf,
    size_t bufsize)
{
	static const struct {
		const char *unit;
		long long seconds;
	} units[] = { { "minutes", 60 }, { "hours", 3600 }, { "days", 86400 } };
	const cJSON *node = root;
	const char *end = key + len, *colon = memchr(key, ':', len);
	const char *path_end = colon != NULL ? colon : end;
	const char *unit = colon != NULL ? colon + 1 : NULL;
	size_t ulen = colon != NULL ? (size_t)(end - colon - 1) : 0;
	long long v, div = 1;

	for (const char *p = key; node != NULL && p < path_end;) {
		const char *dot = memchr(p, '.', (size_t)(path_end - p));
		const char *seg_end = dot != NULL ? dot : path_end;
		char name[64];

		if ((size_t)(seg_end - p) >= sizeof name)
			return NULL;
		memcpy(name, p, (size_t)(seg_end - p));
		name[seg_end - p] = '\0';
		node = cJSON_GetObjectItemCaseSensitive(node, name);
		p = seg_end + (dot != NULL);
	}
	if (cJSON_IsString(node) && unit == NULL)
		return node->valuestring;
	if (!cJSON_IsNumber(node) || !isfinite(node->valuedouble))
		return NULL;
	if (node->valuedouble > 9e15 || node->valuedouble < -9e15) {
		/* Beyond what converts to a whole number safely: as the
		 * service wrote it ("1e+300"), and no date or duration at
		 * all, rather than a wrapped, negative one. */
		if (unit != NULL)
			return NULL;
		snprintf(buf, bufsize, "%.15g", node->valuedouble);
		return buf;
	}
	v = (long long)node->valuedouble;
	if (ulen == 4 && strncmp(unit, "date", 4) == 0) {
		time_t t = (time_t)v;
		struct tm tm;

		/* L10N: strftime format of a date shown on screen; %b is
		   the month's short name from this catalogue.  A form no
		   reader can take for another date: not 07/08/2025. */
		if (localtime_r(&t, &tm) == NULL ||
		    datefmt(buf, bufsize, _("%Y-%m-%d"), &tm) == 0)
			return NULL;
		return buf;
	}
	if (ulen == 8 && strncmp(unit, "datetime", 8) == 0) {
		time_t t = (time_t)v;
		struct tm tm;

		/* L10N: strftime format of a date and time shown on screen
		   (003 §5: 2025年7月23日15時). */
		if (localtime_r(&t, &tm) == NULL ||
		    datefmt(buf, bufsize, _("%Y-%m-%d %H:%M"), &tm) == 0)
			return NULL;
		return buf;
	}
	if (ulen == 8 && strncmp(unit, "duration", 8) == 0) {
		session_duration(v, buf, bufsize);
		return buf;
	}
	if (unit != NULL) {
		size_t i;

		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (strlen(units[i].unit) == ulen &&
			    strncmp(unit, units[i].unit, ulen) == 0)
				break;
		}
		if (i == sizeof units / sizeof units[0])
			return NULL;
		div = units[i].seconds;
	}
	snprintf(buf, bufsize, "%lld", v / div);
	return buf;
}

bool
session_flag(const struct session *s, const char *path)
{
	const cJSON *node = s->info;
	char *copy = xstrdup(path), *save = NULL;

	for (char *seg = strtok_r(copy, ".", &save); seg != NULL && node;
	    seg = strtok_r(NULL, ".", &save))
		node = cJSON_GetObjectItemCaseSensitive(node, seg);
	free(copy);
	return cJSON_IsTrue(node);
}

bool
session_cond(const struct session *s, const char *cond)
{
	const char *colon, *path, *v;
	const cJSON *root;
	char buf[64], *list, *save = NULL;
	bool found = false;

	if (cond == NULL)
		return true;
	if ((colon = strchr(cond, ':')) == NULL)
		return session_flag(s, cond);
	/* "vars.type:individual,business" reads a kept answer;
	 * "user_id_kind:email" what GET /api/v1/info published. */
	if (strncmp(cond, "vars.", 5) == 0) {
		root = s->vars;
		path = cond + 5;
	} else {
		root = s->info;
		path = cond;
	}
	if ((v = session_lookup(root, path, (size_t)(colon - path), buf,
	    sizeof buf)) == NULL)
		return false;
	list = xstrdup(colon + 1);
	for (char *w = strtok_r(list, ",", &save); w != NULL && !found;
	    w = strtok_r(NULL, ",", &save))
		found = strcmp(w, v) == 0;
	free(list);
	return found;
}

void
session_keep_as(struct session *s, const char *name, const cJSON *answer)
{
	s->epoch++;
	if (s->vars == NULL)
		s->vars = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(s->vars, name);
	cJSON_AddItemToObject(s->vars, name, cJSON_Duplicate(answer, 1));
}

void
session_forget(struct session *s, const char *name)
{
	s->epoch++;
	if (s->vars != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(s->vars, name);
}

const char *
session_format(const cJSON *obj, const char *key, char *buf, size_t bufsize)
{
	return session_lookup(obj, key, strlen(key), buf, bufsize);
}

const char *
session_formatn(const cJSON *obj, const char *key, size_t len, char *buf,
    size_t bufsize)
{
	return session_lookup(obj, key, len, buf, bufsize);
}

void
session_keep(struct session *s, const cJSON *answer)
{
	const cJSON *m;

	if (!cJSON_IsObject(answer))
		return;
	s->epoch++;
	if (s->vars == NULL)
		s->vars = cJSON_CreateObject();
	cJSON_ArrayForEach(m, answer) {
		/* The session token lives in s->token only. */
		if (m->string == NULL || strcmp(m->string, "token") == 0)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(s->vars, m->string);
		cJSON_AddItemToObject(s->vars, m->string,
		    cJSON_Duplicate(m, 1));
	}
}

const char *
session_var(const struct session *s, const char *name, char *buf,
    size_t bufsize)
{
	return session_lookup(s->vars, name, strlen(name), buf, bufsize);
}

/* Free everything. */
void
session_free(struct session *s)
{
	cJSON_Delete(s->info);
	s->info = NULL;
	session_logout(s);
	free_clear(&s->service_name);
	free_clear(&s->profile);
	free_clear(&s->user_id_kind);
}
