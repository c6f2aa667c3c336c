/* POST /api/v1/session (log in) and DELETE /api/v1/session (log out). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "api.h"
#include "api_account.h"
#include "jsonutil.h"
#include "lang.h"
#include "log.h"
#include "ratelimit.h"
#include "reply.h"
#include "xmalloc.h"

/* docs/api.md: a password at log-in is 1 to 128 bytes; the profile's
 * policy is not applied (it may have changed since it was set). */
#define LOGIN_PASSWORD_MAX 128

/* What a log-in request carries, once its shape is checked. */
struct login_request {
	const char *user_id;
	const char *password;
	const char *lang;		/* NULL: the user's own */
};

/* Wipe a string member in place (the password) before the tree goes. */
static void
api_session_wipe(cJSON *body, const char *key)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(body, key);

	if (cJSON_IsString(item) && item->valuestring != NULL)
		wipe(item->valuestring, strlen(item->valuestring));
}

/* Check the members of a log-in body; false with the reply filled. */
static bool
api_session_shape(cJSON *body, struct login_request *lr,
    struct http_reply *r)
{
	struct verdict v;
	enum errcode code;
	size_t len;

	if ((code = json_get_string(body, "user_id", true, SIZE_MAX,
	    &lr->user_id)) != ERR_NONE) {
		api_field_error(r, code, "user_id");
		return false;
	}
	if ((v = validate_user_id(lr->user_id)).code != ERR_NONE) {
		api_verdict_error(r, "user_id", v);
		return false;
	}
	if ((code = json_get_string(body, "password", true, SIZE_MAX,
	    &lr->password)) != ERR_NONE) {
		api_field_error(r, code, "password");
		return false;
	}
	len = strlen(lr->password);
	if (len == 0 || len > LOGIN_PASSWORD_MAX) {
		v.code = len == 0 ? ERR_REQUIRED : ERR_TOO_LONG;
		v.min = 1;
		v.max = LOGIN_PASSWORD_MAX;
		api_verdict_error(r, "password", v);
		return false;
	}
	if ((code = json_get_string(body, "lang", false, SIZE_MAX,
	    &lr->lang)) != ERR_NONE) {
		api_field_error(r, code, "lang");
		return false;
	}
	if (lr->lang != NULL && !lang_known(lr->lang)) {
		reply_error(r, ERR_BAD_FORMAT, "lang", NULL,
		    "lang must be one of the service's languages");
		return false;
	}
	return true;
}

/* The 423 reply with the end of the lock. */
static void
api_session_locked(struct http_reply *r, long long until)
{
	cJSON *params = cJSON_CreateObject();

	cJSON_AddNumberToObject(params, "until", (double)until);
	reply_error(r, ERR_ACCOUNT_LOCKED, NULL, params,
	    "too many failed log-ins; locked until %lld", until);
}

/* A wrong password for an existing user: count it, maybe lock (also
 * for A3 and M4, whose current password counts like a log-in). */
void
api_session_failed(const struct api_ctx *ctx, const struct store_user *u,
    time_t now, struct http_reply *r)
{
	long long until = 0;
	enum store_rc rc;

	rc = store_login_failed(ctx->store, u->ref, now,
	    ctx->cfg->limits.lockout_failures,
	    ctx->cfg->limits.lockout_duration, &until);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		return;
	}
	if (until > 0) {
		log_info("user %.256s locked until %lld after %ld failed "
		    "log-ins", u->user_id, until,
		    ctx->cfg->limits.lockout_failures);
		api_session_locked(r, until);
		return;
	}
	reply_error(r, ERR_INVALID_CREDENTIALS, NULL, NULL,
	    "user ID or password is wrong");
}

/* The password was right: open a session and answer 201. */
static void
api_session_open(const struct api_ctx *ctx, const struct store_user *u,
    const char *lang, time_t now, struct http_reply *r)
{
	char token[AUTH_TOKEN_CHARS + 1];
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	long long expires_at = (long long)now + ctx->cfg->idle_timeout;
	cJSON *root, *user;
	enum store_rc rc;

	auth_token_new(token, hash);
	rc = store_session_create(ctx->store, u->ref, hash, now, expires_at,
	    lang != NULL ? lang : u->lang);
	if (rc != STORE_OK) {
		wipe(token, sizeof token);
		api_store_error(r, rc);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "token", token);
	wipe(token, sizeof token);
	user = cJSON_AddObjectToObject(root, "user");
	cJSON_AddStringToObject(user, "user_id", u->user_id);
	cJSON_AddStringToObject(user, "name", u->name);
	cJSON_AddNumberToObject(root, "idle_timeout",
	    (double)ctx->cfg->idle_timeout);
	cJSON_AddNumberToObject(root, "idle_warning",
	    (double)ctx->cfg->idle_warning);
	cJSON_AddNumberToObject(root, "expires_at", (double)expires_at);
	reply_json_secret(r, 201, root, "token");
}

/* Decide a log-in for a well-formed request. */
static void
api_session_login(const struct api_ctx *ctx, const struct login_request *lr,
    struct http_reply *r)
{
	const struct limits *lim = &ctx->cfg->limits;
	struct store_user u;
	time_t now = api_now(ctx);
	enum store_rc rc;

	/* 003 §2.2 lockout, and the same answers for unknown IDs. */
	if (!api_login_prove(ctx, lr->user_id, lr->password, now, &u, r)) {
		store_user_clear(&u);
		return;
	}
	if (lim->password_max_age > 0 && u.password_changed_at +
	    lim->password_max_age * 86400LL < (long long)now) {
		/* 002 §2: the password outlived its validity; the client
		 * goes to the password-change screen.  No session. */
		if ((rc = store_login_reset(ctx->store, u.ref)) != STORE_OK)
			api_store_error(r, rc);
		else
			reply_error(r, ERR_PASSWORD_EXPIRED, NULL, NULL,
			    "the password is older than %ld days",
			    lim->password_max_age);
	} else
		api_session_open(ctx, &u, lr->lang, now, r);
	store_user_clear(&u);
}

/* POST /api/v1/session. */
void
api_session_create(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"user_id", "password", "lang", NULL
	};
	const struct api_ctx *ctx = arg;
	struct login_request lr;
	cJSON *body;

	if ((body = api_body(req, allowed, r)) == NULL)
		return;
	memset(&lr, 0, sizeof lr);
	/* Counted before the user is looked up: the same for any ID. */
	if (api_session_shape(body, &lr, r) &&
	    ratelimit_allow(ctx, req, RATE_LOGIN, lr.user_id, r))
		api_session_login(ctx, &lr, r);
	api_session_wipe(body, "password");
	cJSON_Delete(body);
}

/* DELETE /api/v1/session: the token is dead from then on. */
void
api_session_delete(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_session s;
	enum store_rc rc;

	if (!api_authenticate(ctx, req, r, &s, hash))
		return;
	store_session_clear(&s);
	rc = store_session_delete(ctx->store, hash);
	/* Gone already (a log-out racing another): dead all the same. */
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		api_store_error(r, rc);
		return;
	}
	reply_empty(r, 204);
}
