/* Registration (SPEC R1-R7; docs/api.md "Registration"): the address
 * (R3), the mailed code or key (R4), the details and the new user with
 * a session (R5-R7). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_account.h"
#include "jsonutil.h"
#include "onetime.h"
#include "profile_fields.h"
#include "ratelimit.h"
#include "reply.h"
#include "userid.h"
#include "xmalloc.h"

static void api_registration_start(void *, const struct http_request *,
    struct http_reply *);
static void api_registration_verify(void *, const struct http_request *,
    struct http_reply *);
static void api_registration_complete(void *, const struct http_request *,
    struct http_reply *);

const struct http_route api_routes_registration[] = {
	{ "POST", "/api/v1/registrations", api_registration_start, 0 },
	{ "POST", "/api/v1/registrations/verify", api_registration_verify, 0 },
	{ "POST", "/api/v1/registrations/complete",
	    api_registration_complete, HTTP_ROUTE_HASHES },
	{ NULL, NULL, NULL, 0 }
};

/* Does this profile register people itself?  oss does not (002 §1: its
 * IDs are issued elsewhere); else false with not_available. */
static bool
api_registration_offered(const struct api_ctx *ctx, struct http_reply *r)
{
	if (ctx->cfg->registrant_types[0] != NULL)
		return true;
	reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
	    "the %s profile has no self-registration",
	    settings_profile_name(ctx->cfg->profile));
	return false;
}

/* The handle member, hashed; false with the reply filled.  A handle
 * that is not even well-formed cannot be a live registration. */
static bool
api_registration_handle(const cJSON *body,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES], struct http_reply *r)
{
	const char *handle;

	if (!api_account_string(body, "registration", true, &handle, r))
		return false;
	if (auth_token_hash(handle, strlen(handle), hash) != 0) {
		reply_error(r, ERR_CODE_EXPIRED, "registration", NULL,
		    "no such registration");
		return false;
	}
	return true;
}

/* The registration_code or registration_key mail's params. */
static char *
api_registration_mail_params(const struct api_ctx *ctx, const char *shown)
{
	char ttl[32];

	if (ctx->cfg->code_kind == CODE_DIGITS) {
		snprintf(ttl, sizeof ttl, "%ld",
		    ctx->cfg->limits.code_ttl / 60);
		return api_account_params("code", shown, "ttl_minutes", ttl,
		    NULL);
	}
	snprintf(ttl, sizeof ttl, "%ld", ctx->cfg->limits.code_ttl / 3600);
	return api_account_params("key", shown, "ttl_hours", ttl, NULL);
}

/* POST /api/v1/registrations: R3. */
static void
api_registration_start(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"email", "email_confirm", "lang", NULL
	};
	const struct api_ctx *ctx = arg;
	const struct limits *lim = &ctx->cfg->limits;
	char token[AUTH_TOKEN_CHARS + 1], code[ONETIME_MAX];
	char shown[ONETIME_SHOWN_MAX];
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	unsigned char seal[ONETIME_SEAL_BYTES];
	struct store_mail if_new, if_existing;
	const char *email, *lang;
	long long now, expires_at;
	enum store_rc rc;
	cJSON *body, *root;
	char *params;

	if (!api_registration_offered(ctx, r))
		return;
	if ((body = api_body(req, allowed, r)) == NULL)
		return;
	if (!api_account_email_pair(body, "email", "email_confirm", &email,
	    r) || !api_account_lang(body, "ja", &lang, r) ||
	    !ratelimit_allow(ctx, req, RATE_REGISTRATION, email, r)) {
		cJSON_Delete(body);
		return;
	}
	/* The same work whether or not the address has an account: a
	 * code is made and sealed either way, and the store does one
	 * write transaction either way (no enumeration by timing). */
	auth_token_new(token, hash);
	onetime_new(ctx->cfg->code_kind, lim->code_length, code);
	onetime_shown(ctx->cfg->code_kind, code, shown);
	onetime_seal(code, seal);
	params = api_registration_mail_params(ctx, shown);
	if_new.kind = ctx->cfg->code_kind == CODE_DIGITS ?
	    "registration_code" : "registration_key";
	if_new.to = email;
	if_new.lang = lang;
	if_new.params = params;
	if_existing.kind = "registration_exists";
	if_existing.to = email;
	if_existing.lang = lang;
	if_existing.params = "{}";
	now = api_now(ctx);
	expires_at = now + lim->code_ttl;
	rc = store_registration_start(ctx->store, hash, email, lang, seal,
	    sizeof seal, now, expires_at, &if_new, &if_existing);
	wipe(code, sizeof code);
	wipe(shown, sizeof shown);
	free_secret(&params);
	if (rc != STORE_OK) {
		wipe(token, sizeof token);
		api_store_error(r, rc);
		cJSON_Delete(body);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "registration", token);
	wipe(token, sizeof token);
	cJSON_AddStringToObject(root, "code_kind",
	    ctx->cfg->code_kind == CODE_DIGITS ? "digits" : "key");
	cJSON_AddNumberToObject(root, "code_length", (double)lim->code_length);
	cJSON_AddNumberToObject(root, "code_ttl", (double)lim->code_ttl);
	cJSON_AddNumberToObject(root, "expires_at", (double)expires_at);
	cJSON_AddStringToObject(root, "sender", ctx->cfg->mail_from);
	reply_json_secret(r, 202, root, "registration");
	cJSON_Delete(body);
}

/* How long a verified registration waits for its details: the idle
 * limit (003 §2.6, 3 hours), or the code's time if longer, so that a
 * person filling the form at a counter is not cut off. */
static long
api_registration_complete_window(const struct api_ctx *ctx)
{
	return ctx->cfg->idle_timeout > ctx->cfg->limits.code_ttl ?
	    ctx->cfg->idle_timeout : ctx->cfg->limits.code_ttl;
}

/* POST /api/v1/registrations/verify: R4. */
static void
api_registration_verify(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const allowed[] = {
		"registration", "code", NULL
	};
	static const char *const secrets[] = { "registration", "code", NULL };
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_registration reg;
	struct store_code_check check;
	const char *code, *handle;
	char *address = NULL;
	long long now;
	enum store_rc rc;
	cJSON *body, *root;

	if (!api_registration_offered(ctx, r))
		return;
	if ((body = api_body(req, allowed, r)) == NULL)
		return;
	if (!api_registration_handle(body, hash, r) ||
	    !api_account_string(body, "code", true, &code, r))
		goto out;
	/* Guesses count against the address as well as the client: new
	 * handles for one address must not bring new tries with them.  An
	 * unknown handle has no address; it is counted for the client. */
	rc = store_registration_address(ctx->store, hash, &address);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		api_store_error(r, rc);
		goto out;
	}
	if (!ratelimit_allow(ctx, req, RATE_CODE, address, r))
		goto out;
	now = api_now(ctx);
	rc = store_registration_verify(ctx->store, hash, code,
	    ctx->cfg->limits.code_attempts, now,
	    now + api_registration_complete_window(ctx), &check, &reg);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		goto out;
	}
	if (check.result != STORE_CODE_MATCH) {
		api_account_code_error(r, &check, "code");
		store_code_check_clear(&check);
		goto out;
	}
	handle = json_string_or(body, "registration", "");
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "registration", handle);
	cJSON_AddStringToObject(root, "email", reg.email);
	cJSON_AddNumberToObject(root, "expires_at", (double)reg.expires_at);
	reply_json_secret(r, 200, root, "registration");
	store_registration_clear(&reg);
	store_code_check_clear(&check);
out:
	free(address);
	api_account_wipe(body, secrets);
	cJSON_Delete(body);
}

/* The registrant's details: every member checked by its type's rule
 * (docs/api.md "Fields"); a member of another type is unknown_field.
 * On success *details is the JSON text to store and u's name fields are
 * set (malloc'd). */
static bool
api_registration_details(const struct api_ctx *ctx, const cJSON *body,
    const char *const *base, const char *type, struct store_user *u,
    char **details, struct http_reply *r)
{
	const struct profile_field *table, *f;
	time_t now = api_now(ctx);
	const cJSON *item;
	cJSON *out;

	if ((table = profile_fields(ctx->cfg->profile, type)) == NULL) {
		reply_error(r, ERR_BAD_FORMAT, "type", NULL,
		    "type must be one of the profile's registrant types");
		return false;
	}
	/* Members that are not the type's: unknown_field, first of all,
	 * so that a person never fixes fields that will be refused. */
	cJSON_ArrayForEach(item, body) {
		const char *const *b;

		for (b = base; *b != NULL && strcmp(*b, item->string) != 0;
		    b++)
			;
		if (*b != NULL)
			continue;
		f = profile_field_find(table, item->string);
		if (f == NULL || !(f->where & FIELD_REGISTER)) {
			reply_error(r, ERR_UNKNOWN_FIELD, item->string, NULL,
			    "member \"%.64s\" is not allowed for type %s",
			    item->string, type);
			return false;
		}
	}
	out = cJSON_CreateObject();
	for (f = table; f->member != NULL; f++) {
		const char *value;
		struct verdict v;

		if (!(f->where & FIELD_REGISTER))
			continue;
		if (!api_account_string(body, f->member, f->required, &value,
		    r)) {
			cJSON_Delete(out);
			return false;
		}
		/* 000 ⑤: no notification mail unless asked for. */
		if (value == NULL && f->rule == FIELD_YESNO)
			value = "no";
		if (value == NULL || (!f->required && value[0] == '\0'))
			continue;
		if ((v = profile_field_check(f, value, now)).code !=
		    ERR_NONE) {
			api_verdict_error(r, f->member, v);
			cJSON_Delete(out);
			return false;
		}
		if (f->rule == FIELD_LATIN)
			u->name_latin = xstrdup(value);
		else
			cJSON_AddStringToObject(out, f->member, value);
	}
	/* The name shown beside Log out (001 step 11). */
	if (ctx->cfg->profile == PROFILE_IMMIGRATION)
		u->name = xstrdup(u->name_latin);
	else if (strcmp(type, "business") == 0)
		u->name = xstrdup(json_string_or(out, "corporation_name", ""));
	else
		xasprintf(&u->name, "%s %s",
		    json_string_or(out, "family_name", ""),
		    json_string_or(out, "given_name", ""));
	*details = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	return *details != NULL;
}

/* The 201 answer: a session as POST /api/v1/session gives, plus the
 * user ID. */
static void
api_registration_done(const struct api_ctx *ctx, const struct store_user *u,
    const char *token, long long expires_at, struct http_reply *r)
{
	cJSON *root = cJSON_CreateObject(), *user;

	cJSON_AddStringToObject(root, "token", token);
	user = cJSON_AddObjectToObject(root, "user");
	cJSON_AddStringToObject(user, "user_id", u->user_id);
	cJSON_AddStringToObject(user, "name", u->name);
	cJSON_AddNumberToObject(root, "idle_timeout",
	    (double)ctx->cfg->idle_timeout);
	cJSON_AddNumberToObject(root, "idle_warning",
	    (double)ctx->cfg->idle_warning);
	cJSON_AddNumberToObject(root, "expires_at", (double)expires_at);
	cJSON_AddStringToObject(root, "user_id", u->user_id);
	reply_json_secret(r, 201, root, "token");
}

/* Hash, then create the user and the session in one transaction. */
static void
api_registration_create(const struct api_ctx *ctx,
    const unsigned char reg_hash[AUTH_TOKEN_HASH_BYTES],
    const char *password, const char *lang, struct store_user *u,
    struct http_reply *r)
{
	char pwhash[crypto_pwhash_STRBYTES], token[AUTH_TOKEN_CHARS + 1];
	unsigned char session_hash[AUTH_TOKEN_HASH_BYTES];
	struct store_code_check check;
	long long now, expires_at, ref;
	enum store_rc rc;
	enum auth_rc arc;

	/* argon2id outside the transaction: it takes tens of ms. */
	if ((arc = auth_hash(ctx->auth, password, pwhash)) != AUTH_OK) {
		api_auth_error(r, arc);
		return;
	}
	u->password_hash = pwhash;
	u->lang = (char *)lang;
	auth_token_new(token, session_hash);
	now = api_now(ctx);
	expires_at = now + ctx->cfg->idle_timeout;
	rc = store_registration_complete(ctx->store, reg_hash,
	    ctx->cfg->limits.code_attempts, u,
	    ctx->cfg->profile == PROFILE_IMMIGRATION ? userid_immigration :
	    NULL, session_hash, now, expires_at, lang, &check, &ref);
	u->password_hash = NULL;
	u->lang = NULL;
	wipe(pwhash, sizeof pwhash);
	if (rc == STORE_EXISTS)
		reply_error(r, ERR_ALREADY_REGISTERED, "registration", NULL,
		    "the address has an account already");
	else if (rc != STORE_OK)
		api_store_error(r, rc);
	else if (check.result != STORE_CODE_MATCH)
		api_account_code_error(r, &check, "registration");
	else
		api_registration_done(ctx, u, token, expires_at, r);
	wipe(token, sizeof token);
	store_code_check_clear(&check);
}

/* POST /api/v1/registrations/complete: R5-R7. */
static void
api_registration_complete(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	static const char *const base[] = {
		"registration", "type", "password", "password_confirm",
		"lang", NULL
	};
	static const char *const secrets[] = {
		"registration", "password", "password_confirm", NULL
	};
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_registration reg;
	struct store_code_check check;
	const char *allowed_buf[40];
	const char *type, *password, *lang;
	struct store_user u;
	char *details = NULL;
	enum store_rc rc;
	cJSON *body;

	if (!api_registration_offered(ctx, r))
		return;
	profile_fields_allowed(ctx->cfg->profile, FIELD_REGISTER, base,
	    allowed_buf, sizeof allowed_buf / sizeof allowed_buf[0]);
	if ((body = api_body(req, allowed_buf, r)) == NULL)
		return;
	memset(&u, 0, sizeof u);
	if (!api_registration_handle(body, hash, r))
		goto out;
	/* A dead handle is said first: nothing typed can help it. */
	rc = store_registration_get(ctx->store, hash,
	    ctx->cfg->limits.code_attempts, api_now(ctx), &check, &reg);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		goto out;
	}
	store_registration_clear(&reg);
	if (check.result != STORE_CODE_MATCH) {
		api_account_code_error(r, &check, "registration");
		goto out;
	}
	if (!api_account_string(body, "type", true, &type, r) ||
	    !api_account_string(body, "lang", true, &lang, r) ||
	    !api_account_lang(body, "ja", &lang, r))
		goto out;
	if (validate_choice(type, ctx->cfg->registrant_types).code !=
	    ERR_NONE) {
		reply_error(r, ERR_BAD_FORMAT, "type", NULL,
		    "type must be one of the profile's registrant types");
		goto out;
	}
	if (!api_registration_details(ctx, body, base, type, &u, &details,
	    r))
		goto out;
	if (!api_account_new_password(ctx, body, "password",
	    "password_confirm", &password, r))
		goto out;
	u.kind = xstrdup(type);
	u.details = details;
	details = NULL;
	api_registration_create(ctx, hash, password, lang, &u, r);
out:
	free(details);
	store_user_clear(&u);
	api_account_wipe(body, secrets);
	cJSON_Delete(body);
}
