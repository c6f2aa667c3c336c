/* Rate limits: the counters an attempt is checked against, and the 429
 * answer.  The client's counter comes first, so that attempts refused
 * for a target still use up the client's allowance: a client that
 * hammers one address cannot then move on to the next at full rate. */
#include "config.h"

#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "ratelimit_key.h"
#include "reply.h"
#include "store_ratelimit.h"

/* Count the attempt; on refusal fill the 429 reply. */
bool
ratelimit_allow(const struct api_ctx *ctx, const struct http_request *req,
    enum rate_class cls, const char *target, struct http_reply *r)
{
	const struct rate_rule *rule = &ctx->cfg->rate[cls];
	const char *kind = settings_rate_name(cls);
	char client[RATELIMIT_CLIENT_MAX], buckets[2][RATELIMIT_BUCKET_MAX];
	struct store_rate_hit hits[2];
	long long retry_after;
	size_t n = 0, refused;
	enum store_rc rc;
	const char *side;
	cJSON *params;

	if (rule->per_client > 0) {
		ratelimit_client_key(req->client_addr, client);
		ratelimit_bucket(kind, 'c', client, buckets[n]);
		hits[n].bucket = buckets[n];
		hits[n].limit = rule->per_client;
		hits[n].window = rule->window;
		n++;
	}
	if (target != NULL && rule->per_target > 0) {
		ratelimit_bucket(kind, 't', target, buckets[n]);
		hits[n].bucket = buckets[n];
		hits[n].limit = rule->per_target;
		hits[n].window = rule->window;
		n++;
	}
	if (n == 0)
		return true;
	rc = store_ratelimit_hit(ctx->store, hits, n, api_now(ctx), &refused,
	    &retry_after);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		return false;
	}
	if (refused == n)
		return true;
	/* Counter 0 is the client's whenever there is a client rule. */
	side = refused == 0 && rule->per_client > 0 ? "from this client" :
	    "for this target";
	/* The log names the kind and the side, never the target. */
	log_info("rate limit: %s attempts %s refused for %lld s", kind, side,
	    retry_after);
	metrics_refusal(ctx->metrics, kind);
	params = cJSON_CreateObject();
	cJSON_AddNumberToObject(params, "retry_after", (double)retry_after);
	reply_error(r, ERR_RATE_LIMITED, NULL, params,
	    "too many %s attempts %s; try again in %lld s", kind, side,
	    retry_after);
	r->retry_after = retry_after > 0x7fffffff ? 0x7fffffff :
	    (int)retry_after;
	return false;
}
