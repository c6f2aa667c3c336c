/* API version 1 (docs/api.md): the route table, the context handlers
 * share, and helpers every endpoint uses to read requests. */
#ifndef MADOGUCHID_API_H
#define MADOGUCHID_API_H

#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "auth.h"
#include "http.h"
#include "metrics.h"
#include "settings.h"
#include "store.h"
#include "validate.h"

/* What every handler works with; one per server, read-only after start
 * (the store and auth are thread-safe themselves). */
struct api_ctx {
	const struct settings *cfg;
	struct store *store;
	struct auth *auth;
	struct metrics *metrics;	/* rate-limit refusals; may be NULL */
	char *info_json;		/* GET /api/v1/info's body */
};

/* Route tables, one per area of the API, each ending with a NULL
 * handler: api.c (info, session, me), api_registration.c (R1-R7),
 * api_recovery.c (A1-A3, L3), api_mypage.c (M2-M6, P4),
 * api_notices.c (P1), api_receipts.c (M7). */
extern const struct http_route api_routes_core[];
extern const struct http_route api_routes_registration[];
extern const struct http_route api_routes_recovery[];
extern const struct http_route api_routes_mypage[];
extern const struct http_route api_routes_notices[];
extern const struct http_route api_routes_receipts[];
extern const struct http_route api_routes_health[];
/* All of them in one malloc'd table for http_start. */
struct http_route *api_routes_build(void);

/* Now, by the service clock. */
time_t api_now(const struct api_ctx *);

/* Parse the body as a JSON object with only the allowed members; on
 * failure the reply is filled and NULL returned. */
cJSON *api_body(const struct http_request *, const char *const *allowed,
    struct http_reply *);
/* Fill the reply for a failed json_get_* (code != ERR_NONE). */
void api_field_error(struct http_reply *, enum errcode, const char *field);
/* Fill the reply for a failed field rule. */
void api_verdict_error(struct http_reply *, const char *field,
    struct verdict);
/* Fill the reply for a failed store call (busy or internal). */
void api_store_error(struct http_reply *, enum store_rc);
/* Fill the reply when no hashing slot was free, or hashing failed. */
void api_auth_error(struct http_reply *, enum auth_rc);

/* The token of "Authorization: Bearer TOKEN", hashed; -1 if absent or
 * malformed.  Does not look the session up. */
int api_bearer_hash(const struct http_request *,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES]);

/* The most the idle deadline may lag behind activity, seconds: a
 * session's deadline is written when it is further behind than this (or
 * a tenth of idle_timeout, if less). */
#define API_TOUCH_SLACK 60

/* The session behind the Authorization header, touched (003 §2.6: any
 * request is activity).  false with the reply filled when there is none;
 * on success *token_hash is the hash of the presented token.  A GET
 * succeeds even when the new deadline cannot be written. */
bool api_authenticate(const struct api_ctx *, const struct http_request *,
    struct http_reply *, struct store_session *,
    unsigned char token_hash[AUTH_TOKEN_HASH_BYTES]);

/* Handlers (api_info.c, api_session.c, api_me.c). */
void api_info(void *ctx, const struct http_request *, struct http_reply *);
/* GET /api/v1/info's body for these settings (malloc'd), made at start. */
char *api_info_render(const struct settings *);
void api_session_create(void *ctx, const struct http_request *,
    struct http_reply *);
void api_session_delete(void *ctx, const struct http_request *,
    struct http_reply *);
void api_me(void *ctx, const struct http_request *, struct http_reply *);

#endif
