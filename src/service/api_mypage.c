/* My page changes (SPEC M2-M6) and the session's own endpoints (P4):
 * PATCH /api/v1/me, the e-mail change with a mailed code, the password
 * change, the oss bulk-user key request, and session extend / look. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_account.h"
#include "jsonutil.h"
#include "lang.h"
#include "onetime.h"
#include "profile_fields.h"
#include "ratelimit.h"
#include "reply.h"
#include "xmalloc.h"

static void api_mypage_patch(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_email(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_email_verify(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_password(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_bulk(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_extend(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_session(void *, const struct http_request *,
    struct http_reply *);
static void api_mypage_session_lang(void *, const struct http_request *,
    struct http_reply *);

const struct http_route api_routes_mypage[] = {
	{ "PATCH", "/api/v1/me", api_mypage_patch, 0 },
	{ "POST", "/api/v1/me/email", api_mypage_email, 0 },
	{ "POST", "/api/v1/me/email/verify", api_mypage_email_verify, 0 },
	{ "POST", "/api/v1/me/password", api_mypage_password,
	    HTTP_ROUTE_HASHES },
	{ "POST", "/api/v1/me/bulk-password", api_mypage_bulk, 0 },
	{ "POST", "/api/v1/session/extend", api_mypage_extend, 0 },
	{ "GET", "/api/v1/session", api_mypage_session, 0 },
	{ "PATCH", "/api/v1/session", api_mypage_session_lang, 0 },
	{ NULL, NULL, NULL, 0 }
};

/* The session and its user, read afresh; false with the reply filled. */
static bool
api_mypage_user(const struct api_ctx *ctx, const struct http_request *req,
    struct http_reply *r, struct store_session *s,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES], struct store_user *u)
{
	enum store_rc rc;

	memset(u, 0, sizeof *u);
	if (!api_authenticate(ctx, req, r, s, hash))
		return false;
	if ((rc = store_user_get(ctx->store, s->user_ref, u)) != STORE_OK) {
		if (rc == STORE_NOT_FOUND)
			reply_error(r, ERR_UNAUTHORIZED, NULL, NULL,
			    "the token is not a live session");
		else
			api_store_error(r, rc);
		store_session_clear(s);
		return false;
	}
	return true;
}

/* A request with no body, or an empty object, as docs/api.md allows. */
static bool
api_mypage_no_body(const struct http_request *req, struct http_reply *r)
{
	static const char *const none[] = { NULL };
	cJSON *body;

	if (req->body_len == 0)
		return true;
	if ((body = api_body(req, none, r)) == NULL)
		return false;
	cJSON_Delete(body);
	return true;
}

/* What a PATCH changes besides details. */
struct mypage_change {
	char *name;
	const char *kind;
	const char *email;
	const char *notify_email;
	bool any;
};

/* oss (002 §3): an address with its confirmation; notify_email may be
 * emptied (both ""), email may not. */
static bool
api_mypage_oss_address(const cJSON *body, const char *key,
    const char *confirm_key, bool may_clear, const char **out,
    struct http_reply *r)
{
	const char *value, *confirm;

	if (!api_account_string(body, key, false, &value, r) ||
	    !api_account_string(body, confirm_key, false, &confirm, r))
		return false;
	if (value == NULL && confirm == NULL)
		return true;
	if (value == NULL || confirm == NULL) {
		api_field_error(r, ERR_MISSING_FIELD, value == NULL ? key :
		    confirm_key);
		return false;
	}
	if (may_clear && value[0] == '\0' && confirm[0] == '\0') {
		*out = "";
		return true;
	}
	return api_account_email_pair(body, key, confirm_key, out, r);
}

/* Check every member against the user's table and apply it to details
 * (a JSON object) or ch; false with the reply filled. */
static bool
api_mypage_apply(const struct api_ctx *ctx, const cJSON *body,
    const struct store_user *u, cJSON *details, struct mypage_change *ch,
    struct http_reply *r)
{
	static const char *const confirms[] = {
		"email_confirm", "notify_email_confirm", NULL
	};
	const struct profile_field *table, *f;
	bool oss = ctx->cfg->profile == PROFILE_OSS;
	time_t now = api_now(ctx);
	const cJSON *item;

	table = profile_fields_account(ctx->cfg->profile, u->kind);
	cJSON_ArrayForEach(item, body) {
		const char *value;
		struct verdict v;

		f = profile_field_find(table, item->string);
		if (oss && f == NULL && (strcmp(item->string, confirms[0]) ==
		    0 || strcmp(item->string, confirms[1]) == 0))
			continue;
		if (f == NULL || !(f->where & FIELD_PATCH)) {
			reply_error(r, ERR_UNKNOWN_FIELD, item->string, NULL,
			    "member \"%.64s\" cannot be changed here",
			    item->string);
			return false;
		}
		if (f->rule == FIELD_EMAIL)
			continue;	/* below, with its confirmation */
		if (!api_account_string(body, item->string, true, &value, r))
			return false;
		ch->any = true;
		/* An optional member given empty is removed. */
		if (!f->required && value[0] == '\0') {
			cJSON_DeleteItemFromObjectCaseSensitive(details,
			    f->member);
			continue;
		}
		if ((v = profile_field_check(f, value, now)).code != ERR_NONE) {
			api_verdict_error(r, f->member, v);
			return false;
		}
		if (oss && strcmp(f->member, "kind") == 0)
			ch->kind = value;
		else if (oss && strcmp(f->member, "name") == 0)
			ch->name = xstrdup(value);
		else {
			cJSON_DeleteItemFromObjectCaseSensitive(details,
			    f->member);
			cJSON_AddStringToObject(details, f->member, value);
		}
	}
	if (oss && (!api_mypage_oss_address(body, "email", "email_confirm",
	    false, &ch->email, r) || !api_mypage_oss_address(body,
	    "notify_email", "notify_email_confirm", true, &ch->notify_email,
	    r)))
		return false;
	if (ch->email != NULL || ch->notify_email != NULL)
		ch->any = true;
	/* The name shown beside Log out follows the details (lgpos). */
	if (ctx->cfg->profile == PROFILE_LGPOS && u->kind != NULL &&
	    u->kind[0] != '\0') {
		free(ch->name);
		if (strcmp(u->kind, "business") == 0)
			ch->name = xstrdup(json_string_or(details,
			    "corporation_name", u->name));
		else
			xasprintf(&ch->name, "%s %s",
			    json_string_or(details, "family_name", ""),
			    json_string_or(details, "given_name", ""));
	}
	return true;
}

/* PATCH /api/v1/me: M2 (002 §3) and M5 (003 §6.3). */
static void
api_mypage_patch(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	static const char *const base[] = {
		"email_confirm", "notify_email_confirm", NULL
	};
	const char *allowed[40];
	struct store_details_change dc;
	struct mypage_change ch;
	struct store_session s;
	struct store_mail mail;
	struct store_user u;
	cJSON *body = NULL, *details = NULL;
	char *text = NULL, *params = NULL;
	enum store_rc rc;

	if (!api_mypage_user(ctx, req, r, &s, hash, &u))
		return;
	memset(&ch, 0, sizeof ch);
	profile_fields_allowed(ctx->cfg->profile, FIELD_PATCH,
	    ctx->cfg->profile == PROFILE_OSS ? base : base + 2, allowed,
	    sizeof allowed / sizeof allowed[0]);
	if ((body = api_body(req, allowed, r)) == NULL)
		goto out;
	details = cJSON_Parse(u.details != NULL ? u.details : "{}");
	if (!cJSON_IsObject(details)) {
		cJSON_Delete(details);
		details = cJSON_CreateObject();
	}
	if (!api_mypage_apply(ctx, body, &u, details, &ch, r))
		goto out;
	if (ch.any) {
		text = cJSON_PrintUnformatted(details);
		params = api_account_params("user_id", u.user_id, NULL);
		memset(&dc, 0, sizeof dc);
		dc.ref = u.ref;
		dc.name = ch.name;
		dc.kind = ch.kind;
		dc.email = ch.email;
		dc.notify_email = ch.notify_email;
		dc.details = text;
		dc.now = api_now(ctx);
		/* 002 §3 ④: to the management address as it now is. */
		mail.kind = "details_changed";
		mail.to = ch.email != NULL ? ch.email : u.email;
		mail.lang = s.lang;
		mail.params = params;
		if ((rc = store_details_change(ctx->store, &dc, &mail)) !=
		    STORE_OK) {
			api_store_error(r, rc);
			goto out;
		}
	}
	api_me_reply(ctx, &s, r);
out:
	free(text);
	free(params);
	free(ch.name);
	cJSON_Delete(details);
	cJSON_Delete(body);
	store_user_clear(&u);
	store_session_clear(&s);
}

/* POST /api/v1/me/email: M3 request (003 §6.1; not oss, whose
 * addresses change through PATCH). */
static void
api_mypage_email(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"new_email", "new_email_confirm", NULL
	};
	const struct api_ctx *ctx = arg;
	const struct limits *lim = &ctx->cfg->limits;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	unsigned char seal[ONETIME_SEAL_BYTES];
	char code[ONETIME_MAX], shown[ONETIME_SHOWN_MAX], ttl[32];
	struct store_session s;
	struct store_mail mail;
	struct store_user u, other;
	const char *email;
	char *params;
	long long now;
	enum store_rc rc;
	cJSON *body = NULL, *root;

	if (ctx->cfg->profile == PROFILE_OSS) {
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "oss addresses change through PATCH /api/v1/me");
		return;
	}
	if (!api_mypage_user(ctx, req, r, &s, hash, &u))
		return;
	/* A code mailed to any address: limited as registrations are. */
	if ((body = api_body(req, allowed, r)) == NULL ||
	    !api_account_email_pair(body, "new_email", "new_email_confirm",
	    &email, r) ||
	    !ratelimit_allow(ctx, req, RATE_REGISTRATION, email, r))
		goto out;
	/* lgpos: the address is the user ID, so it must be free in any
	 * case (userkey.h), unless it is the person's own in another
	 * spelling.  The person is logged in; saying so tells a stranger
	 * nothing. */
	if (ctx->cfg->profile == PROFILE_LGPOS) {
		rc = store_user_find(ctx->store, email, &other);
		if (rc == STORE_OK && other.ref == u.ref)
			rc = STORE_NOT_FOUND;
		store_user_clear(&other);
		if (rc == STORE_OK) {
			reply_error(r, ERR_ALREADY_REGISTERED, "new_email",
			    NULL, "the address has an account already");
			goto out;
		}
	}
	onetime_new(ctx->cfg->code_kind, lim->code_length, code);
	onetime_shown(ctx->cfg->code_kind, code, shown);
	onetime_seal(code, seal);
	snprintf(ttl, sizeof ttl, "%ld", lim->code_ttl / 60);
	params = api_account_params("code", shown, "ttl_minutes", ttl, NULL);
	mail.kind = "email_change_code";
	mail.to = email;
	mail.lang = s.lang;
	mail.params = params;
	now = api_now(ctx);
	rc = store_code_issue(ctx->store, "email", u.ref, seal, sizeof seal,
	    email, s.lang, now, now + lim->code_ttl, &mail);
	wipe(code, sizeof code);
	wipe(shown, sizeof shown);
	free_secret(&params);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		goto out;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "code_kind",
	    ctx->cfg->code_kind == CODE_DIGITS ? "digits" : "key");
	cJSON_AddNumberToObject(root, "code_length", (double)lim->code_length);
	cJSON_AddNumberToObject(root, "code_ttl", (double)lim->code_ttl);
	reply_json(r, 202, root);
out:
	cJSON_Delete(body);
	store_user_clear(&u);
	store_session_clear(&s);
}

/* POST /api/v1/me/email/verify: M3 completion. */
static void
api_mypage_email_verify(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = { "code", NULL };
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_code_check check;
	struct store_session s;
	struct store_mail mails[2];
	struct store_user u;
	bool lgpos = ctx->cfg->profile == PROFILE_LGPOS;
	char *changed = NULL, *notice = NULL;
	const char *code;
	enum store_rc rc;
	cJSON *body = NULL;

	memset(&check, 0, sizeof check);
	if (ctx->cfg->profile == PROFILE_OSS) {
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "oss addresses change through PATCH /api/v1/me");
		return;
	}
	if (!api_mypage_user(ctx, req, r, &s, hash, &u))
		return;
	if ((body = api_body(req, allowed, r)) == NULL ||
	    !api_account_string(body, "code", true, &code, r) ||
	    !ratelimit_allow(ctx, req, RATE_CODE, u.user_id, r))
		goto out;
	rc = store_code_check(ctx->store, "email", u.ref, code,
	    ctx->cfg->limits.code_attempts, api_now(ctx), &check);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		goto out;
	}
	if (check.result != STORE_CODE_MATCH || check.new_email == NULL) {
		api_account_code_error(r, &check, "code");
		goto out;
	}
	/* lgpos: the address is the user ID, so it changes too. */
	changed = api_account_params("user_id", lgpos ? check.new_email :
	    u.user_id, NULL);
	notice = api_account_params("new_email", check.new_email, NULL);
	mails[0].kind = "email_changed";
	mails[0].to = check.new_email;
	mails[0].lang = s.lang;
	mails[0].params = changed;
	mails[1].kind = "email_change_notice";
	mails[1].to = u.email;
	mails[1].lang = s.lang;
	mails[1].params = notice;
	rc = store_email_change(ctx->store, u.ref, check.id, code,
	    check.new_email, lgpos, api_now(ctx), mails, 2);
	if (rc == STORE_EXISTS)
		reply_error(r, ERR_ALREADY_REGISTERED, "code", NULL,
		    "the address has an account already");
	else if (rc == STORE_EXPIRED) {
		check.result = STORE_CODE_EXPIRED;
		api_account_code_error(r, &check, "code");
	} else if (rc != STORE_OK)
		api_store_error(r, rc);
	else
		api_me_reply(ctx, &s, r);
out:
	free(changed);
	free(notice);
	store_code_check_clear(&check);
	if (body != NULL) {
		static const char *const secrets[] = { "code", NULL };

		api_account_wipe(body, secrets);
	}
	cJSON_Delete(body);
	store_user_clear(&u);
	store_session_clear(&s);
}

/* POST /api/v1/me/password: M4 (003 §6.2).  The current password counts
 * towards the lockout as at log-in, so that a session left open does
 * not let anyone guess it. */
static void
api_mypage_password(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"current_password", "new_password", "new_password_confirm",
		NULL
	};
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	const char *current, *password;
	struct store_session s;
	struct store_user u;
	enum auth_rc arc;
	time_t now;
	cJSON *body = NULL;

	if (!api_mypage_user(ctx, req, r, &s, hash, &u))
		return;
	if ((body = api_body(req, allowed, r)) == NULL ||
	    !api_account_current_password(body, "current_password", &current,
	    r) || !api_account_new_password(ctx, body, "new_password",
	    "new_password_confirm", &password, r))
		goto out;
	now = api_now(ctx);
	if (u.locked_until > now) {
		api_account_locked(r, u.locked_until);
		goto out;
	}
	arc = auth_verify(ctx->auth, u.password_hash, current);
	if (arc == AUTH_BUSY || arc == AUTH_ERROR)
		api_auth_error(r, arc);
	else if (arc == AUTH_MISMATCH)
		api_session_failed(ctx, &u, now, r);
	else if (strcmp(current, password) == 0)
		reply_error(r, ERR_SAME_PASSWORD, "new_password", NULL,
		    "the new password is the current one");
	else
		api_recovery_apply(ctx, &u, password, s.lang, hash, r);
out:
	if (body != NULL) {
		static const char *const secrets[] = {
			"current_password", "new_password",
			"new_password_confirm", NULL
		};

		api_account_wipe(body, secrets);
	}
	cJSON_Delete(body);
	store_user_clear(&u);
	store_session_clear(&s);
}

/* POST /api/v1/me/bulk-password: M6 request (002 §4, oss). */
static void
api_mypage_bulk(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	const struct limits *lim = &ctx->cfg->limits;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	unsigned char seal[ONETIME_SEAL_BYTES];
	char key[ONETIME_MAX], shown[ONETIME_SHOWN_MAX], ttl[32], at[32];
	struct store_session s;
	struct store_mail mail;
	struct store_user u;
	long long now;
	enum store_rc rc;
	char *params;
	cJSON *root;

	if (ctx->cfg->profile != PROFILE_OSS) {
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "there are no bulk users in this profile");
		return;
	}
	if (!api_mypage_user(ctx, req, r, &s, hash, &u))
		return;
	if (!api_mypage_no_body(req, r))
		goto out;
	if (u.bulk_user_id == NULL) {
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "this user has no bulk-user ID");
		goto out;
	}
	if (!ratelimit_allow(ctx, req, RATE_RECOVERY, u.user_id, r))
		goto out;
	now = api_now(ctx);
	onetime_new(CODE_KEY, lim->reset_key_length, key);
	onetime_shown(CODE_KEY, key, shown);
	onetime_seal(key, seal);
	snprintf(ttl, sizeof ttl, "%ld", lim->reset_key_ttl / 3600);
	snprintf(at, sizeof at, "%lld", now);
	params = api_account_params("bulk_user_id", u.bulk_user_id, "key",
	    shown, "ttl_hours", ttl, "requested_at", at, NULL);
	mail.kind = "bulk_reset_key";
	mail.to = u.email;
	mail.lang = s.lang;
	mail.params = params;
	rc = store_code_issue(ctx->store, "bulk", u.ref, seal, sizeof seal,
	    NULL, s.lang, now, now + lim->reset_key_ttl, &mail);
	wipe(key, sizeof key);
	wipe(shown, sizeof shown);
	free_secret(&params);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		goto out;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "bulk_user_id", u.bulk_user_id);
	cJSON_AddStringToObject(root, "email", u.email);
	cJSON_AddNumberToObject(root, "key_ttl", (double)lim->reset_key_ttl);
	cJSON_AddNumberToObject(root, "requested_at", (double)now);
	reply_json(r, 202, root);
out:
	store_user_clear(&u);
	store_session_clear(&s);
}

/* POST /api/v1/session/extend: P4 (003 §2.6): the deadline moves by the
 * full idle limit, written even when activity just moved it. */
static void
api_mypage_extend(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_session s;
	long long expires_at;
	enum store_rc rc;
	cJSON *root;

	if (!api_authenticate(ctx, req, r, &s, hash))
		return;
	if (!api_mypage_no_body(req, r))
		goto out;
	rc = store_session_extend(ctx->store, hash, api_now(ctx),
	    ctx->cfg->idle_timeout, &expires_at);
	if (rc == STORE_EXPIRED)
		reply_error(r, ERR_SESSION_EXPIRED, NULL, NULL,
		    "the session passed its idle limit");
	else if (rc != STORE_OK)
		api_store_error(r, rc);
	else {
		root = cJSON_CreateObject();
		cJSON_AddNumberToObject(root, "expires_at",
		    (double)expires_at);
		cJSON_AddNumberToObject(root, "idle_timeout",
		    (double)ctx->cfg->idle_timeout);
		reply_json(r, 200, root);
	}
out:
	store_session_clear(&s);
}

/* GET /api/v1/session: P4.  Not activity: the client may ask how long
 * is left without extending it, so the session is only looked at. */
static void
api_mypage_session(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	long long expires_at;
	enum store_rc rc;
	cJSON *root;

	if (api_bearer_hash(req, hash) != 0) {
		reply_error(r, ERR_UNAUTHORIZED, NULL, NULL,
		    "a bearer token is required");
		return;
	}
	rc = store_session_peek(ctx->store, hash, api_now(ctx), &expires_at);
	if (rc == STORE_NOT_FOUND)
		reply_error(r, ERR_UNAUTHORIZED, NULL, NULL,
		    "the token is not a live session");
	else if (rc == STORE_EXPIRED)
		reply_error(r, ERR_SESSION_EXPIRED, NULL, NULL,
		    "the session passed its idle limit");
	else if (rc != STORE_OK)
		api_store_error(r, rc);
	else {
		root = cJSON_CreateObject();
		cJSON_AddNumberToObject(root, "expires_at",
		    (double)expires_at);
		cJSON_AddNumberToObject(root, "idle_timeout",
		    (double)ctx->cfg->idle_timeout);
		cJSON_AddNumberToObject(root, "idle_warning",
		    (double)ctx->cfg->idle_warning);
		reply_json(r, 200, root);
	}
}

/* PATCH /api/v1/session {lang}: the person switched language (P2); the
 * mails this session causes from now on are in it. */
static void
api_mypage_session_lang(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = { "lang", NULL };
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_session s;
	const char *lang = NULL;
	enum errcode code;
	enum store_rc rc;
	cJSON *body, *root;

	if (!api_authenticate(ctx, req, r, &s, hash))
		return;
	if ((body = api_body(req, allowed, r)) == NULL) {
		store_session_clear(&s);
		return;
	}
	if ((code = json_get_string(body, "lang", true, 16, &lang)) !=
	    ERR_NONE)
		api_field_error(r, code, "lang");
	else if (!lang_known(lang))
		reply_error(r, ERR_BAD_FORMAT, "lang", NULL,
		    "lang must be one of the service's languages");
	else if ((rc = store_session_set_lang(ctx->store, hash, lang)) !=
	    STORE_OK)
		api_store_error(r, rc);
	else {
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "lang", lang);
		reply_json(r, 200, root);
	}
	cJSON_Delete(body);
	store_session_clear(&s);
}
