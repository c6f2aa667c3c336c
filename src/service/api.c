/* API v1: the route table and what every endpoint shares. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "api.h"
#include "clock.h"
#include "jsonutil.h"
#include "reply.h"
#include "xmalloc.h"

_Static_assert(AUTH_TOKEN_HASH_BYTES == STORE_TOKEN_HASH_BYTES,
    "the store keeps the hashes auth makes");

/* docs/api.md, one row per method and path: the service's own. */
const struct http_route api_routes_core[] = {
	{ "GET", "/api/v1/info", api_info, HTTP_ROUTE_INLINE },
	{ "POST", "/api/v1/session", api_session_create,
	    HTTP_ROUTE_HASHES },
	{ "DELETE", "/api/v1/session", api_session_delete, 0 },
	{ "GET", "/api/v1/me", api_me, 0 },
	{ NULL, NULL, NULL, 0 }
};

/* Each area of the API keeps its routes beside its handlers. */
static const struct http_route *const api_route_tables[] = {
	api_routes_core,
	api_routes_registration,
	api_routes_recovery,
	api_routes_mypage,
	api_routes_notices,
	api_routes_receipts,
	api_routes_health,
};

/* All routes in one table for http_start; free with free(). */
struct http_route *
api_routes_build(void)
{
	size_t n = 0, k = 0;
	struct http_route *all;

	for (size_t t = 0; t < sizeof api_route_tables /
	    sizeof api_route_tables[0]; t++)
		for (const struct http_route *r = api_route_tables[t];
		    r->fn != NULL; r++)
			n++;
	all = xcalloc(n + 1, sizeof *all);
	for (size_t t = 0; t < sizeof api_route_tables /
	    sizeof api_route_tables[0]; t++)
		for (const struct http_route *r = api_route_tables[t];
		    r->fn != NULL; r++)
			all[k++] = *r;
	return all;
}

/* Now, by the service clock. */
time_t
api_now(const struct api_ctx *ctx)
{
	return clock_now(ctx->cfg->test_clock_file);
}

/* Parse the body as one JSON object with only the allowed members. */
cJSON *
api_body(const struct http_request *req, const char *const *allowed,
    struct http_reply *r)
{
	const char *field = NULL;
	enum errcode code;
	cJSON *obj;

	code = json_parse_object(req->body, req->body_len, &obj);
	if (code == ERR_INVALID_ENCODING) {
		reply_error(r, code, NULL, NULL, "body is not valid UTF-8");
		return NULL;
	}
	if (code != ERR_NONE) {
		reply_error(r, ERR_MALFORMED_JSON, NULL, NULL,
		    "body is not one JSON object");
		return NULL;
	}
	code = json_check_fields(obj, allowed, &field);
	if (code != ERR_NONE) {
		if (code == ERR_UNKNOWN_FIELD)
			reply_error(r, code, field, NULL,
			    "member \"%.64s\" is not allowed here", field);
		else
			reply_error(r, ERR_MALFORMED_JSON, field, NULL,
			    "member \"%.64s\" is given twice", field);
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* Fill the reply for a failed json_get_*. */
void
api_field_error(struct http_reply *r, enum errcode code, const char *field)
{
	switch (code) {
	case ERR_MISSING_FIELD:
		reply_error(r, code, field, NULL, "%s is missing", field);
		break;
	case ERR_WRONG_TYPE:
		reply_error(r, code, field, NULL, "%s has the wrong JSON type",
		    field);
		break;
	default:
		reply_error(r, code, field, NULL, "%s is not acceptable",
		    field);
		break;
	}
}

/* Fill the reply for a failed field rule, with the rule's numbers. */
void
api_verdict_error(struct http_reply *r, const char *field, struct verdict v)
{
	cJSON *params = cJSON_CreateObject();

	switch (v.code) {
	case ERR_TOO_SHORT:
		cJSON_AddNumberToObject(params, "min", (double)v.min);
		cJSON_AddNumberToObject(params, "max", (double)v.max);
		reply_error(r, v.code, field, params,
		    "%s is shorter than %ld characters", field, v.min);
		break;
	case ERR_TOO_LONG:
		cJSON_AddNumberToObject(params, "min", (double)v.min);
		cJSON_AddNumberToObject(params, "max", (double)v.max);
		reply_error(r, v.code, field, params,
		    "%s is longer than %ld characters", field, v.max);
		break;
	case ERR_TOO_FEW_CLASSES:
		cJSON_AddNumberToObject(params, "min", (double)v.min);
		reply_error(r, v.code, field, params,
		    "%s uses fewer than %ld kinds of character", field, v.min);
		break;
	case ERR_REQUIRED:
		reply_error(r, v.code, field, params, "%s is empty", field);
		break;
	case ERR_BAD_CHARACTERS:
		reply_error(r, v.code, field, params,
		    "%s has characters that are not allowed", field);
		break;
	case ERR_BAD_EMAIL:
		reply_error(r, v.code, field, params,
		    "%s is not a valid e-mail address", field);
		break;
	case ERR_INVALID_ENCODING:
		reply_error(r, v.code, field, params, "%s is not valid UTF-8",
		    field);
		break;
	default:
		reply_error(r, v.code, field, params,
		    "%s does not have the required form", field);
		break;
	}
}

/* Fill the reply for a failed store call. */
void
api_store_error(struct http_reply *r, enum store_rc rc)
{
	if (rc == STORE_BUSY)
		reply_error(r, ERR_SERVICE_BUSY, NULL, NULL,
		    "the database is busy; retry shortly");
	else if (rc == STORE_FULL)
		reply_error(r, ERR_STORAGE_FULL, NULL, NULL,
		    "storage is full; nothing was changed");
	else
		reply_error(r, ERR_INTERNAL, NULL, NULL,
		    "storage failure; nothing was changed");
}

/* Fill the reply when hashing could not run. */
void
api_auth_error(struct http_reply *r, enum auth_rc rc)
{
	if (rc == AUTH_BUSY)
		reply_error(r, ERR_SERVICE_BUSY, NULL, NULL,
		    "too many log-ins at once; retry shortly");
	else
		reply_error(r, ERR_INTERNAL, NULL, NULL,
		    "password hashing failed");
}

/* The token in "Authorization: Bearer TOKEN", hashed; -1 if absent or
 * malformed. */
int
api_bearer_hash(const struct http_request *req,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES])
{
	const char *header = req->authorization;
	static const char scheme[] = "Bearer";
	const char *p, *end;

	if (header == NULL || strncasecmp(header, scheme,
	    sizeof scheme - 1) != 0)
		return -1;
	p = header + sizeof scheme - 1;
	if (*p != ' ' && *p != '\t')
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return auth_token_hash(p, (size_t)(end - p), hash);
}

/* The session behind the Authorization header, touched. */
bool
api_authenticate(const struct api_ctx *ctx, const struct http_request *req,
    struct http_reply *r, struct store_session *s,
    unsigned char token_hash[AUTH_TOKEN_HASH_BYTES])
{
	long slack = ctx->cfg->idle_timeout / 10;
	enum store_rc rc, touch;

	memset(s, 0, sizeof *s);
	if (api_bearer_hash(req, token_hash) != 0) {
		reply_error(r, ERR_UNAUTHORIZED, NULL, NULL,
		    "a bearer token is required");
		return false;
	}
	/* The deadline is written at most about once a minute (a tenth
	 * of short limits): the deadline answered is then at most that
	 * much short of the full idle limit, never beyond it. */
	if (slack > API_TOUCH_SLACK)
		slack = API_TOUCH_SLACK;
	rc = store_session_touch(ctx->store, token_hash, api_now(ctx),
	    ctx->cfg->idle_timeout, slack, s, &touch);
	switch (rc) {
	case STORE_OK:
		/* A read goes on with the deadline in force when the new one
		 * cannot be written (a full disk): reading must keep
		 * working.  A change would fail at its own write. */
		if (touch == STORE_OK || strcmp(req->method, "GET") == 0 ||
		    strcmp(req->method, "HEAD") == 0)
			return true;
		store_session_clear(s);
		api_store_error(r, touch);
		return false;
	case STORE_NOT_FOUND:
		reply_error(r, ERR_UNAUTHORIZED, NULL, NULL,
		    "the token is not a live session");
		return false;
	case STORE_EXPIRED:
		reply_error(r, ERR_SESSION_EXPIRED, NULL, NULL,
		    "the session passed its idle limit");
		return false;
	default:
		api_store_error(r, rc);
		return false;
	}
}
