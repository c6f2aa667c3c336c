/* Recovery without logging in (SPEC A1-A3, L3, and M6's completion):
 * forgotten user ID, password reset by mailed key, password change with
 * the current password, bulk-user password reset. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_account.h"
#include "onetime.h"
#include "ratelimit.h"
#include "reply.h"
#include "userkey.h"
#include "xmalloc.h"

static void api_recovery_user_id(void *, const struct http_request *,
    struct http_reply *);
static void api_recovery_password(void *, const struct http_request *,
    struct http_reply *);
static void api_recovery_reset(void *, const struct http_request *,
    struct http_reply *);
static void api_recovery_change(void *, const struct http_request *,
    struct http_reply *);
static void api_recovery_bulk_reset(void *, const struct http_request *,
    struct http_reply *);

const struct http_route api_routes_recovery[] = {
	{ "POST", "/api/v1/recovery/user-id", api_recovery_user_id, 0 },
	{ "POST", "/api/v1/recovery/password", api_recovery_password, 0 },
	{ "POST", "/api/v1/recovery/password/reset", api_recovery_reset,
	    HTTP_ROUTE_HASHES },
	{ "POST", "/api/v1/password", api_recovery_change,
	    HTTP_ROUTE_HASHES },
	{ "POST", "/api/v1/bulk-password/reset", api_recovery_bulk_reset,
	    HTTP_ROUTE_HASHES },
	{ NULL, NULL, NULL, 0 }
};

/* The members every password-setting request wipes. */
static const char *const api_recovery_secrets[] = {
	"key", "current_password", "new_password", "new_password_confirm",
	NULL
};

/* POST /api/v1/recovery/user-id: A1 (003 §2.4, immigration only). */
static void
api_recovery_user_id(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"email", "name_latin", "lang", NULL
	};
	const struct api_ctx *ctx = arg;
	const char *email, *name_latin, *lang;
	struct verdict v;
	enum store_rc rc;
	cJSON *body;

	if (ctx->cfg->profile != PROFILE_IMMIGRATION) {
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "user IDs are not issued in this profile");
		return;
	}
	if ((body = api_body(req, allowed, r)) == NULL)
		return;
	if (!api_account_string(body, "email", true, &email, r) ||
	    !api_account_string(body, "name_latin", true, &name_latin, r) ||
	    !api_account_lang(body, "ja", &lang, r))
		goto out;
	if ((v = validate_email(email)).code != ERR_NONE) {
		api_verdict_error(r, "email", v);
		goto out;
	}
	if ((v = validate_latin_name(name_latin, 104)).code != ERR_NONE) {
		api_verdict_error(r, "name_latin", v);
		goto out;
	}
	if (!ratelimit_allow(ctx, req, RATE_RECOVERY, email, r))
		goto out;
	/* 202 {} whether or not anyone matched: only the mail tells. */
	rc = store_user_id_remind(ctx->store, email, name_latin, lang,
	    api_now(ctx));
	if (rc != STORE_OK)
		api_store_error(r, rc);
	else
		reply_json(r, 202, cJSON_CreateObject());
out:
	cJSON_Delete(body);
}

/* Issue a key of purpose for user (ref 0: nobody, the same work) and
 * queue mail_kind with params made by the caller's key. */
static enum store_rc
api_recovery_issue(const struct api_ctx *ctx, const char *purpose,
    long long ref, const char *to, const char *lang, const char *mail_kind,
    const char *id_key, const char *id, const char *requested_at,
    long long now)
{
	const struct limits *lim = &ctx->cfg->limits;
	char key[ONETIME_MAX], shown[ONETIME_SHOWN_MAX], ttl[32];
	unsigned char seal[ONETIME_SEAL_BYTES];
	struct store_mail mail;
	enum store_rc rc;
	char *params;

	onetime_new(CODE_KEY, lim->reset_key_length, key);
	onetime_shown(CODE_KEY, key, shown);
	onetime_seal(key, seal);
	snprintf(ttl, sizeof ttl, "%ld", lim->reset_key_ttl / 3600);
	params = requested_at != NULL ?
	    api_account_params(id_key, id, "key", shown, "ttl_hours", ttl,
	    "requested_at", requested_at, NULL) :
	    api_account_params(id_key, id, "key", shown, "ttl_hours", ttl,
	    NULL);
	mail.kind = mail_kind;
	mail.to = to;
	mail.lang = lang;
	mail.params = params;
	rc = store_code_issue(ctx->store, purpose, ref, seal, sizeof seal,
	    NULL, lang, now, now + lim->reset_key_ttl, &mail);
	wipe(key, sizeof key);
	wipe(shown, sizeof shown);
	free_secret(&params);
	return rc;
}

/* POST /api/v1/recovery/password: A2 request (002 §6, 003 §2.5, 004). */
static void
api_recovery_password(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"user_id", "email", "lang", NULL
	};
	const struct api_ctx *ctx = arg;
	const char *user_id, *email, *lang;
	struct store_user u;
	struct verdict v;
	enum store_rc rc;
	cJSON *body, *root;
	bool match;

	if ((body = api_body(req, allowed, r)) == NULL)
		return;
	memset(&u, 0, sizeof u);
	if (!api_account_string(body, "user_id", true, &user_id, r) ||
	    !api_account_string(body, "email", true, &email, r) ||
	    !api_account_lang(body, NULL, &lang, r))
		goto out;
	if ((v = validate_user_id(user_id)).code != ERR_NONE) {
		api_verdict_error(r, "user_id", v);
		goto out;
	}
	if ((v = validate_email(email)).code != ERR_NONE) {
		api_verdict_error(r, "email", v);
		goto out;
	}
	/* Per user ID: a key mail only ever goes to that user's address. */
	if (!ratelimit_allow(ctx, req, RATE_RECOVERY, user_id, r))
		goto out;
	rc = store_user_find(ctx->store, user_id, &u);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		api_store_error(r, rc);
		goto out;
	}
	/* The address in any case (userkey.h); the key goes to it as the
	 * user registered it. */
	match = rc == STORE_OK && userkey_equal(u.email, email);
	/* The same work and the same answer for an unknown ID or a wrong
	 * address: a key is made and one write transaction is done. */
	rc = api_recovery_issue(ctx, "reset", match ? u.ref : 0,
	    match ? u.email : email,
	    lang != NULL ? lang : match ? u.lang : "ja", "reset_key",
	    "user_id", user_id, NULL, api_now(ctx));
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		goto out;
	}
	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "key_ttl",
	    (double)ctx->cfg->limits.reset_key_ttl);
	cJSON_AddNumberToObject(root, "key_length",
	    (double)ctx->cfg->limits.reset_key_length);
	reply_json(r, 202, root);
out:
	store_user_clear(&u);
	cJSON_Delete(body);
}

/* A2 and M6 completion: check the key, refuse the current password, set
 * the new one.  u is the user found (ref 0 = unknown: the key is
 * expired, as for a user who asked for none). */
static void
api_recovery_set(const struct api_ctx *ctx, const struct store_user *u,
    bool bulk, const char *key, const char *password,
    struct http_reply *r)
{
	char hash[crypto_pwhash_STRBYTES];
	struct store_password_change pc;
	struct store_code_check check;
	struct store_mail mail;
	enum store_rc rc;
	enum auth_rc arc;
	char *params;

	memset(&check, 0, sizeof check);
	check.result = STORE_CODE_EXPIRED;
	if (u->ref > 0) {
		rc = store_code_check(ctx->store, bulk ? "bulk" : "reset",
		    u->ref, key, ctx->cfg->limits.code_attempts, api_now(ctx),
		    &check);
		if (rc != STORE_OK) {
			api_store_error(r, rc);
			return;
		}
	}
	if (check.result != STORE_CODE_MATCH) {
		api_account_code_error(r, &check, "key");
		store_code_check_clear(&check);
		return;
	}
	/* Only after the key: otherwise same_password would tell a
	 * stranger whether a guess is the current password. */
	arc = auth_verify(ctx->auth, bulk ? u->bulk_password_hash :
	    u->password_hash, password);
	if (arc == AUTH_OK) {
		reply_error(r, ERR_SAME_PASSWORD, "new_password", NULL,
		    "the new password is the current one");
		goto out;
	}
	if (arc != AUTH_MISMATCH || (arc = auth_hash(ctx->auth, password,
	    hash)) != AUTH_OK) {
		api_auth_error(r, arc);
		goto out;
	}
	params = bulk ? api_account_params("bulk_user_id", u->bulk_user_id,
	    NULL) : api_account_params("user_id", u->user_id, NULL);
	mail.kind = bulk ? "bulk_reset_complete" : "reset_complete";
	mail.to = u->email;
	mail.lang = check.lang != NULL && check.lang[0] != '\0' ?
	    check.lang : u->lang;
	mail.params = params;
	memset(&pc, 0, sizeof pc);
	pc.user_ref = u->ref;
	pc.hash = hash;
	pc.bulk = bulk;
	pc.code_id = check.id;
	pc.code = key;
	pc.now = api_now(ctx);
	pc.mail = &mail;
	/* 003 §2.2: the reset lifts the lockout; every session ends. */
	rc = store_password_change(ctx->store, &pc);
	wipe(hash, sizeof hash);
	free(params);
	if (rc == STORE_EXPIRED)
		api_account_code_error(r, &check, "key");
	else if (rc != STORE_OK)
		api_store_error(r, rc);
	else
		reply_json(r, 200, cJSON_CreateObject());
out:
	store_code_check_clear(&check);
}

/* POST /api/v1/recovery/password/reset and /api/v1/bulk-password/reset:
 * the shared shape, then the user by id_key. */
static void
api_recovery_reset_any(const struct api_ctx *ctx,
    const struct http_request *req, bool bulk, struct http_reply *r)
{
	static const char *const allowed[] = {
		"user_id", "key", "new_password", "new_password_confirm", NULL
	};
	static const char *const allowed_bulk[] = {
		"bulk_user_id", "key", "new_password", "new_password_confirm",
		NULL
	};
	const char *id_key = bulk ? "bulk_user_id" : "user_id";
	const char *id, *key, *password;
	struct store_user u;
	struct verdict v;
	enum store_rc rc;
	cJSON *body;

	if ((body = api_body(req, bulk ? allowed_bulk : allowed, r)) == NULL)
		return;
	memset(&u, 0, sizeof u);
	if (!api_account_string(body, id_key, true, &id, r) ||
	    !api_account_string(body, "key", true, &key, r))
		goto out;
	if ((v = validate_user_id(id)).code != ERR_NONE) {
		api_verdict_error(r, id_key, v);
		goto out;
	}
	if (!api_account_new_password(ctx, body, "new_password",
	    "new_password_confirm", &password, r) ||
	    !ratelimit_allow(ctx, req, RATE_CODE, id, r))
		goto out;
	rc = bulk ? store_user_find_bulk(ctx->store, id, &u) :
	    store_user_find(ctx->store, id, &u);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		api_store_error(r, rc);
		goto out;
	}
	api_recovery_set(ctx, &u, bulk, key, password, r);
out:
	store_user_clear(&u);
	api_account_wipe(body, api_recovery_secrets);
	cJSON_Delete(body);
}

/* POST /api/v1/recovery/password/reset: A2 completion. */
static void
api_recovery_reset(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	api_recovery_reset_any(arg, req, false, r);
}

/* POST /api/v1/bulk-password/reset: M6 completion (002 §4, oss). */
static void
api_recovery_bulk_reset(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;

	if (ctx->cfg->profile != PROFILE_OSS) {
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "there are no bulk users in this profile");
		return;
	}
	api_recovery_reset_any(ctx, req, true, r);
}

/* Set a new password once the current one is proved (A3, L3, M4):
 * hash, store with the sessions that end, mail password_changed. */
void
api_recovery_apply(const struct api_ctx *ctx, const struct store_user *u,
    const char *password, const char *lang, const unsigned char *keep,
    struct http_reply *r)
{
	char hash[crypto_pwhash_STRBYTES];
	struct store_password_change pc;
	struct store_mail mail;
	enum store_rc rc;
	enum auth_rc arc;
	char *params;

	if ((arc = auth_hash(ctx->auth, password, hash)) != AUTH_OK) {
		api_auth_error(r, arc);
		return;
	}
	params = api_account_params("user_id", u->user_id, NULL);
	mail.kind = "password_changed";
	mail.to = u->email;
	mail.lang = lang != NULL ? lang : u->lang;
	mail.params = params;
	memset(&pc, 0, sizeof pc);
	pc.user_ref = u->ref;
	pc.hash = hash;
	pc.keep_session = keep;
	pc.now = api_now(ctx);
	pc.mail = &mail;
	rc = store_password_change(ctx->store, &pc);
	wipe(hash, sizeof hash);
	free(params);
	if (rc != STORE_OK)
		api_store_error(r, rc);
	else
		reply_json(r, 200, cJSON_CreateObject());
}

/* POST /api/v1/password: A3 and L3 (002 §5): the current password
 * proves the person, even when it has expired. */
static void
api_recovery_change(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"user_id", "current_password", "new_password",
		"new_password_confirm", "lang", NULL
	};
	const struct api_ctx *ctx = arg;
	const char *user_id, *current, *password, *lang;
	struct store_user u;
	struct verdict v;
	cJSON *body;

	if ((body = api_body(req, allowed, r)) == NULL)
		return;
	memset(&u, 0, sizeof u);
	if (!api_account_string(body, "user_id", true, &user_id, r))
		goto out;
	if ((v = validate_user_id(user_id)).code != ERR_NONE) {
		api_verdict_error(r, "user_id", v);
		goto out;
	}
	if (!api_account_current_password(body, "current_password", &current,
	    r) || !api_account_new_password(ctx, body, "new_password",
	    "new_password_confirm", &password, r) ||
	    !api_account_lang(body, NULL, &lang, r))
		goto out;
	/* The current password is checked as at log-in: one allowance. */
	if (!ratelimit_allow(ctx, req, RATE_LOGIN, user_id, r))
		goto out;
	/* As at log-in (003 §2.2), unknown IDs alike. */
	if (!api_login_prove(ctx, user_id, current, api_now(ctx), &u, r))
		goto out;
	if (strcmp(current, password) == 0)
		reply_error(r, ERR_SAME_PASSWORD, "new_password", NULL,
		    "the new password is the current one");
	else
		api_recovery_apply(ctx, &u, password, lang, NULL, r);
out:
	store_user_clear(&u);
	api_account_wipe(body, api_recovery_secrets);
	cJSON_Delete(body);
}
