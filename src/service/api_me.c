/* GET /api/v1/me: the logged-in user. */
#include "config.h"

#include "api.h"
#include "reply.h"

/* GET /api/v1/me. */
void
api_me(void *arg, const struct http_request *req, struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	struct store_session s;
	cJSON *root;

	if (!api_authenticate(ctx, req, r, &s, hash))
		return;
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "user_id", s.user_id);
	cJSON_AddStringToObject(root, "name", s.name);
	cJSON_AddStringToObject(root, "email", s.email);
	/* 003 §1.5 ⑦: the log-in before this session's, null the first
	 * time. */
	if (s.prev_login >= 0)
		cJSON_AddNumberToObject(root, "last_login",
		    (double)s.prev_login);
	else
		cJSON_AddNullToObject(root, "last_login");
	cJSON_AddNumberToObject(root, "updated_at", (double)s.updated_at);
	cJSON_AddNumberToObject(root, "expires_at", (double)s.expires_at);
	store_session_clear(&s);
	reply_json(r, 200, root);
}
