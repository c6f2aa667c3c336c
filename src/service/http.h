/* The HTTPS layer: a libmicrohttpd daemon over TLS that reads whole
 * request bodies up to a limit, routes by method and path, and sends the
 * handlers' JSON replies.  It knows nothing of accounts: handlers come in
 * a route table with an opaque context. */
#ifndef MADOGUCHID_HTTP_H
#define MADOGUCHID_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* A request as a handler sees it, body complete. */
struct http_request {
	const char *method;
	const char *path;
	const char *body;		/* NUL-terminated; "" when none */
	size_t body_len;
	const char *content_type;	/* NULL when absent */
	const char *authorization;	/* NULL when absent */
	const char *client_addr;	/* peer IP address as text, or "" */
	const char *param;		/* the path's {} segment, or NULL */
	void *conn;			/* for http_request_arg */
};

/* A query-string argument ("?page=2"), or NULL when absent. */
const char *http_request_arg(const struct http_request *, const char *name);

/* What a handler answers; see reply.h for the helpers that fill it. */
struct http_reply {
	int status;
	char *body;			/* JSON text (malloc'd), NULL = empty */
	char *allow;			/* Allow header (malloc'd) or NULL */
	int retry_after;		/* seconds; 0 = no Retry-After */
	bool close;			/* close the connection afterwards */
};

typedef void (*http_handler_fn)(void *ctx, const struct http_request *,
    struct http_reply *);

/* Route flags. */
#define HTTP_ROUTE_HASHES 0x1	/* computes a password hash (argon2id) */
#define HTTP_ROUTE_INLINE 0x2	/* never blocks: answered on the event
				 * thread, without a worker's round trip */

/* One row of the route table: exact method and path.  A path segment
 * written "{}" matches any one non-empty segment of printable ASCII,
 * which the handler reads as req->param ("/api/v1/notices/{}").
 * Handlers run on worker threads, never on the threads that read
 * requests: those flagged HTTP_ROUTE_HASHES on hash_concurrency threads
 * of their own, so that a wave of log-ins never delays the rest. */
struct http_route {
	const char *method;
	const char *path;
	http_handler_fn fn;
	unsigned int flags;
};

struct http_options {
	const char *listen;		/* IPv4 or IPv6 literal */
	unsigned short port;		/* 0: any free port */
	const char *cert_pem;		/* contents, not paths */
	const char *key_pem;
	size_t max_body;
	const struct http_route *routes;	/* ends with fn == NULL */
	void *ctx;			/* passed to every handler */

	/* Limits (docs/api.md "Connections"). */
	unsigned int threads;		/* event threads */
	unsigned int workers;		/* threads for other requests */
	unsigned int hash_workers;	/* threads for HTTP_ROUTE_HASHES */
	long hash_wait;			/* seconds one may queue, or 503 */
	unsigned int max_connections;
	unsigned int per_client_connections;
	long request_timeout;
	long keepalive_timeout;

	/* Called once per answer sent, on an event thread (metrics.h):
	 * method, the matched route's pattern or NULL, status, seconds
	 * since the request arrived.  NULL: nobody observes. */
	void (*observe)(void *arg, const char *method, const char *route,
	    int status, double seconds);
	void *observe_arg;
};

struct http_server;

/* Start serving; NULL with *error (malloc'd) on failure. */
struct http_server *http_start(const struct http_options *, char **error);
/* Password hashes being computed, and requests queued for one. */
void http_hash_load(struct http_server *, unsigned int *running,
    unsigned int *queued);
/* The port actually listened on. */
unsigned short http_port(const struct http_server *);
/* Stop: accept no new connections, and give the requests in flight up
 * to drain_seconds to be answered (0: do not wait); then close every
 * connection and free. */
void http_stop(struct http_server *, long drain_seconds);

#endif
