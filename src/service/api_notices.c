/* Notices for the home screen (SPEC P1, 003 §1.5): a paged list, newest
 * first, and one notice with its text.  No authentication: the home
 * screen shows them before anyone logs in. */
#include "config.h"

#include "api.h"
#include "api_paging.h"
#include "reply.h"
#include "store_content.h"

/* GET /api/v1/notices?page=&per_page= */
static void api_notices_list(void *, const struct http_request *,
    struct http_reply *);
/* GET /api/v1/notices/{id} */
static void api_notices_get(void *, const struct http_request *,
    struct http_reply *);

const struct http_route api_routes_notices[] = {
	{ "GET", "/api/v1/notices", api_notices_list, 0 },
	{ "GET", "/api/v1/notices/{}", api_notices_get, 0 },
	{ NULL, NULL, NULL, 0 }
};

/* store_notice_page callback: one list item. */
static void
api_notices_item(void *arg, const struct store_notice *n)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddNumberToObject(item, "id", (double)n->id);
	cJSON_AddNumberToObject(item, "published_at", (double)n->published_at);
	cJSON_AddStringToObject(item, "title", n->title);
	cJSON_AddItemToArray(arg, item);
}

/* A page of notices. */
static void
api_notices_list(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	struct api_page pg;
	long long total = 0;
	enum store_rc rc;
	cJSON *body, *items;

	if (!api_paging_read(req, ctx->cfg->limits.notices_page_size, &pg, r))
		return;
	if ((rc = store_notice_count(ctx->store, &total)) != STORE_OK) {
		api_store_error(r, rc);
		return;
	}
	body = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(body, "items");
	if ((rc = store_notice_page(ctx->store, pg.offset, pg.per_page,
	    api_notices_item, items)) != STORE_OK) {
		cJSON_Delete(body);
		api_store_error(r, rc);
		return;
	}
	api_paging_add(body, &pg, total);
	reply_json(r, 200, body);
}

/* The notice number in the path, or -1 when it is not one. */
static long long
api_notices_id(const char *param)
{
	long long id = 0;
	int digits = 0;

	for (const char *p = param; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || ++digits > 18)
			return -1;
		id = id * 10 + (*p - '0');
	}
	return digits > 0 ? id : -1;
}

/* One notice with its text. */
static void
api_notices_get(void *arg, const struct http_request *req,
    struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	long long id = api_notices_id(req->param != NULL ? req->param : "");
	struct store_notice n;
	enum store_rc rc;
	cJSON *body;

	if (id < 0) {
		reply_error(r, ERR_NOT_FOUND, NULL, NULL, "no such notice");
		return;
	}
	rc = store_notice_get(ctx->store, id, &n);
	if (rc == STORE_NOT_FOUND) {
		reply_error(r, ERR_NOT_FOUND, NULL, NULL, "no such notice");
		return;
	}
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "id", (double)n.id);
	cJSON_AddNumberToObject(body, "published_at", (double)n.published_at);
	cJSON_AddStringToObject(body, "title", n.title);
	cJSON_AddStringToObject(body, "body", n.body);
	store_notice_clear(&n);
	reply_json(r, 200, body);
}
