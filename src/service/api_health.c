/* GET /api/v1/health: for a load balancer's checks.  200 only when the
 * database answers; nothing secret, never rate-limited, no session. */
#include "config.h"

#include "api.h"
#include "reply.h"

/* GET /api/v1/health */
static void
api_health(void *arg, const struct http_request *req, struct http_reply *r)
{
	const struct api_ctx *ctx = arg;
	enum store_rc rc = store_ping(ctx->store);
	cJSON *root;

	(void)req;
	if (rc != STORE_OK) {
		/* 503 whatever the fault: to a balancer, the instance is
		 * not fit to serve. */
		reply_error(r, ERR_SERVICE_BUSY, NULL, NULL,
		    "the database does not answer");
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "status", "ok");
	reply_json(r, 200, root);
}

const struct http_route api_routes_health[] = {
	{ "GET", "/api/v1/health", api_health, 0 },
	{ NULL, NULL, NULL, 0 }
};
