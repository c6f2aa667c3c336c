/* Certificate receipts (SPEC M7, 003 §5; immigration only): the
 * person's certificates, newest first, and registering receipt of one. */
#include "config.h"

#include "api.h"
#include "api_paging.h"
#include "reply.h"
#include "store_content.h"

/* GET /api/v1/me/receipts?page=&per_page= */
static void api_receipts_list(void *, const struct http_request *,
    struct http_reply *);
/* POST /api/v1/me/receipts/{number}/register */
static void api_receipts_register(void *, const struct http_request *,
    struct http_reply *);

const struct http_route api_routes_receipts[] = {
	{ "GET", "/api/v1/me/receipts", api_receipts_list, 0 },
	{ "POST", "/api/v1/me/receipts/{}/register", api_receipts_register, 0 },
	{ NULL, NULL, NULL, 0 }
};

/* A receipt as docs/api.md shows it. */
static cJSON *
api_receipts_json(const struct store_receipt *rc)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "number", rc->number);
	cJSON_AddNumberToObject(item, "issued_at", (double)rc->issued_at);
	if (rc->registered_at >= 0)
		cJSON_AddNumberToObject(item, "registered_at",
		    (double)rc->registered_at);
	else
		cJSON_AddNullToObject(item, "registered_at");
	/* 003 §5: 未登録 / 受領登録済. */
	cJSON_AddStringToObject(item, "status", rc->registered_at >= 0 ?
	    "registered" : "unregistered");
	return item;
}

/* store_receipt_page callback: one list item. */
static void
api_receipts_item(void *arg, const struct store_receipt *rc)
{
	cJSON_AddItemToArray(arg, api_receipts_json(rc));
}

/* The session's user, in a profile that has receipts; false with the
 * reply filled otherwise. */
static bool
api_receipts_user(const struct api_ctx *ctx, const struct http_request *req,
    struct http_reply *r, struct store_session *s)
{
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];

	if (!api_authenticate(ctx, req, r, s, hash))
		return false;
	if (ctx->cfg->profile != PROFILE_IMMIGRATION) {
		store_session_clear(s);
		reply_error(r, ERR_NOT_AVAILABLE, NULL, NULL,
		    "certificate receipts exist only in the immigration "
		    "profile");
		return false;
	}
	return true;
}

/* 003 §5 step 3: the receipts table, as of now. */
static void
api_receipts_list(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	struct store_session s;
	struct api_page pg;
	long long total = 0;
	enum store_rc rc;
	cJSON *body, *items;

	if (!api_receipts_user(ctx, req, r, &s))
		return;
	if (!api_paging_read(req, ctx->cfg->limits.receipts_page_size, &pg,
	    r)) {
		store_session_clear(&s);
		return;
	}
	if ((rc = store_receipt_count(ctx->store, s.user_ref, &total)) !=
	    STORE_OK) {
		store_session_clear(&s);
		api_store_error(r, rc);
		return;
	}
	body = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(body, "items");
	rc = store_receipt_page(ctx->store, s.user_ref, pg.offset,
	    pg.per_page, api_receipts_item, items);
	store_session_clear(&s);
	if (rc != STORE_OK) {
		cJSON_Delete(body);
		api_store_error(r, rc);
		return;
	}
	api_paging_add(body, &pg, total);
	/* 003 §5: "2025年07月29日 15時57分 現在". */
	cJSON_AddNumberToObject(body, "as_of", (double)api_now(ctx));
	reply_json(r, 200, body);
}

/* 003 §5 step 4: register receipt of one certificate. */
static void
api_receipts_register(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	struct store_receipt rcpt;
	struct store_session s;
	enum store_rc rc;

	if (!api_receipts_user(ctx, req, r, &s))
		return;
	rc = store_receipt_register(ctx->store, s.user_ref,
	    req->param != NULL ? req->param : "", api_now(ctx), &rcpt);
	store_session_clear(&s);
	switch (rc) {
	case STORE_OK:
		reply_json(r, 200, api_receipts_json(&rcpt));
		break;
	case STORE_EXISTS:
		reply_error(r, ERR_ALREADY_REGISTERED, NULL, NULL,
		    "receipt of this certificate is registered already");
		break;
	case STORE_NOT_FOUND:
		reply_error(r, ERR_NOT_FOUND, NULL, NULL,
		    "no such certificate among this user's");
		break;
	default:
		api_store_error(r, rc);
		break;
	}
	store_receipt_clear(&rcpt);
}
