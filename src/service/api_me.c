/* GET /api/v1/me: the logged-in user (M1). */
#include "config.h"

#include "api_account.h"
#include "reply.h"

/* GET /api/v1/me's body (docs/api.md "My page"). */
cJSON *
api_me_json(const struct api_ctx *ctx, const struct store_user *u,
    const struct store_session *s)
{
	cJSON *root = cJSON_CreateObject(), *details;
	enum profile p = ctx->cfg->profile;

	cJSON_AddStringToObject(root, "user_id", u->user_id);
	cJSON_AddStringToObject(root, "name", u->name);
	cJSON_AddStringToObject(root, "email", u->email);
	/* 003 §1.5 ⑦: the log-in before this session's, null the first
	 * time. */
	if (s->prev_login >= 0)
		cJSON_AddNumberToObject(root, "last_login",
		    (double)s->prev_login);
	else
		cJSON_AddNullToObject(root, "last_login");
	cJSON_AddNumberToObject(root, "updated_at", (double)u->updated_at);
	cJSON_AddNumberToObject(root, "expires_at", (double)s->expires_at);
	if (u->kind != NULL && u->kind[0] != '\0')
		cJSON_AddStringToObject(root, "type", u->kind);
	else
		cJSON_AddNullToObject(root, "type");
	/* Stored only after validation, so it parses; a damaged row
	 * shows as no details rather than failing My page. */
	details = cJSON_Parse(u->details != NULL ? u->details : "{}");
	if (!cJSON_IsObject(details)) {
		cJSON_Delete(details);
		details = cJSON_CreateObject();
	}
	cJSON_AddItemToObject(root, "details", details);
	if (p == PROFILE_OSS) {
		/* 002 §2 ②: both IDs and both addresses. */
		if (u->notify_email != NULL)
			cJSON_AddStringToObject(root, "notify_email",
			    u->notify_email);
		else
			cJSON_AddNullToObject(root, "notify_email");
		if (u->bulk_user_id != NULL)
			cJSON_AddStringToObject(root, "bulk_user_id",
			    u->bulk_user_id);
		else
			cJSON_AddNullToObject(root, "bulk_user_id");
	}
	if (p == PROFILE_IMMIGRATION) {
		if (u->name_latin != NULL)
			cJSON_AddStringToObject(root, "name_latin",
			    u->name_latin);
		else
			cJSON_AddNullToObject(root, "name_latin");
	}
	return root;
}

/* 200 with the session's user, read afresh. */
void
api_me_reply(const struct api_ctx *ctx, const struct store_session *s,
    struct http_reply *r)
{
	struct store_user u;
	enum store_rc rc = store_user_get(ctx->store, s->user_ref, &u);

	if (rc != STORE_OK) {
		/* The user went (deleted) under a live session. */
		if (rc == STORE_NOT_FOUND)
			reply_error(r, ERR_UNAUTHORIZED, NULL, NULL,
			    "the token is not a live session");
		else
			api_store_error(r, rc);
		return;
	}
	reply_json(r, 200, api_me_json(ctx, &u, s));
	store_user_clear(&u);
}

/* GET /api/v1/me. */
void
api_me(void *arg, const struct http_request *req, struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_session s;

	if (!api_authenticate(ctx, req, r, &s, hash))
		return;
	api_me_reply(ctx, &s, r);
	store_session_clear(&s);
}
