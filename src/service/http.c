/* libmicrohttpd over TLS: event threads that read requests and send
 * answers, worker pools that compute them, limits on both. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "http_check.h"
#include "http_deadline.h"
#include "http_path.h"
#include "log.h"
#include "reply.h"
#include "workpool.h"
#include "xmalloc.h"

/* TLS 1.2 and 1.3 only, forward-secret key exchange, and AEAD ciphers
 * only: no CBC with SHA-1 or SHA-2 MACs (Lucky13 and its kin). */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
	"-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:" \
	"-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA"

/* Each connection's memory for its request line and headers (this is
 * libmicrohttpd's default, stated because the limits below depend on
 * it).  A request line or header block that does not fit is refused by
 * libmicrohttpd itself with its own page; the limits below answer
 * everything short of that with the JSON error shape. */
#define HTTP_CONNECTION_MEMORY (32 * 1024)
/* No path of the API comes near these. */
#define HTTP_URI_MAX 4096
#define HTTP_ARGS_MAX 32

/* Jobs that may wait for a worker: beyond this, 503 at once. */
#define HTTP_QUEUE_MAX 1024

/* The last message of libmicrohttpd's, to count repeats (http_mhd_log). */
struct http_log_repeat {
	pthread_mutex_t lock;
	char last[512];
	time_t when;
	unsigned int repeats;
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_options opts;
	unsigned short port;
	struct workpool *work;		/* requests that do not hash */
	struct workpool *hashing;	/* HTTP_ROUTE_HASHES */
	struct http_deadlines *deadlines;
	struct http_log_repeat log_repeat;
	bool draining;		/* atomic: a graceful stop has begun */
};

/* A refused request's body is still read and dropped, up to this many
 * bytes, before the refusal is sent: a client that sends its whole body
 * before reading (curl does) would otherwise lose the answer to a reset
 * connection.  Past this, the answer goes at once and the connection is
 * closed. */
#define HTTP_DRAIN_MAX (1024 * 1024)

/* One request's state, from its request line to its end. */
struct http_call {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	const struct http_route *route;
	bool started;		/* headers seen and checked */
	char *body;
	size_t len;
	size_t cap;
	bool draining;		/* refused: body dropped, refusal due */
	size_t drained;
	struct http_reply refusal;
	bool answered;		/* a reply has been queued */
	/* A worker fills reply, sets done and resumes the connection;
	 * the event thread reads them only after the resume. */
	bool dispatched;
	bool done;
	struct http_reply reply;
	long long arrived_ns;	/* CLOCK_MONOTONIC, for http_observe */
};

/* Has a graceful stop begun?  Then every answer closes its connection,
 * so that a load balancer's client reconnects to another instance. */
static bool
http_draining(struct http_server *srv)
{
	return __atomic_load_n(&srv->draining, __ATOMIC_ACQUIRE);
}

/* Now on the monotonic clock, in nanoseconds. */
static long long
http_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Add a header, ignoring failure (only on allocation failure). */
static void
http_header(struct MHD_Response *resp, const char *name, const char *value)
{
	(void)MHD_add_response_header(resp, name, value);
}

/* Queue a reply on the connection and log the request line. */
static enum MHD_Result
http_send(struct MHD_Connection *conn, const char *method, const char *url,
    struct http_reply *r, bool draining)
{
	struct MHD_Response *resp;
	size_t len = r->body != NULL ? strlen(r->body) : 0;
	enum MHD_Result ok;

	resp = MHD_create_response_from_buffer(len, r->body != NULL ?
	    r->body : (void *)"", MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	if (r->body != NULL)
		http_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    "application/json; charset=utf-8");
	http_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->allow != NULL)
		http_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->retry_after > 0) {
		char buf[16];

		snprintf(buf, sizeof buf, "%d", r->retry_after);
		http_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, buf);
	}
	if (r->close || draining)
		http_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ok = MHD_queue_response(conn, (unsigned int)r->status, resp);
	MHD_destroy_response(resp);
	/* Method and path only: never headers or body. */
	log_info("%s %.200s %d", method, url, r->status);
	return ok;
}

/* Drop the body kept so far; it may hold a password. */
static void
http_body_drop(struct http_call *call)
{
	if (call->body != NULL) {
		wipe(call->body, call->len);
		free_clear(&call->body);
	}
	call->len = call->cap = 0;
}

/* Keep a chunk of body; false once the body is past max_body. */
static bool
http_body_append(struct http_server *srv, struct http_call *call,
    const char *data, size_t size)
{
	if (size > srv->opts.max_body - call->len) {
		http_body_drop(call);
		return false;
	}
	if (call->len + size + 1 > call->cap) {
		size_t cap = call->cap == 0 ? 1024 : call->cap;
		char *grown;

		while (cap < call->len + size + 1)
			cap *= 2;
		/* Not realloc: the old buffer may hold a password. */
		grown = xmalloc(cap);
		if (call->body != NULL) {
			memcpy(grown, call->body, call->len);
			wipe(call->body, call->len);
			free(call->body);
		}
		call->body = grown;
		call->cap = cap;
	}
	memcpy(call->body + call->len, data, size);
	call->len += size;
	call->body[call->len] = '\0';
	return true;
}

/* Run the route's handler on the complete request. */
static void
http_dispatch(struct http_call *call, struct http_reply *r)
{
	struct MHD_Connection *conn = call->conn;
	struct http_request req;
	char addr[INET6_ADDRSTRLEN], *param = NULL;

	http_client_addr(conn, addr, sizeof addr);
	memset(&req, 0, sizeof req);
	req.method = call->method;
	req.path = call->url;
	req.body = call->body != NULL ? call->body : "";
	req.body_len = call->len;
	req.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	req.authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	req.client_addr = addr;
	req.conn = conn;
	http_path_match(call->route->path, call->url, &param);
	req.param = param;
	call->route->fn(call->srv->opts.ctx, &req, r);
	free(param);
	if (r->status == 0)
		reply_error(r, ERR_INTERNAL, NULL, NULL, "no answer");
}

/* On a worker: answer the request, then hand the connection back to
 * its event thread. */
static void
http_work(void *arg, long long queued_ns)
{
	struct http_call *call = arg;
	const struct http_options *opts = &call->srv->opts;

	/* hash_wait bounds the time a log-in waits for a hashing thread:
	 * past it, the person is told to retry rather than left waiting.
	 * (hash_wait 0 never queues: http_submit asks for an idle one.) */
	if ((call->route->flags & HTTP_ROUTE_HASHES) != 0 &&
	    opts->hash_wait > 0 && queued_ns > opts->hash_wait * 1000000000LL)
		reply_error(&call->reply, ERR_SERVICE_BUSY, NULL, NULL,
		    "no hashing thread free within %ld s", opts->hash_wait);
	else
		http_dispatch(call, &call->reply);
	call->done = true;
	MHD_resume_connection(call->conn);
}

/* Hand the complete request to a worker; the connection sleeps until
 * the worker resumes it.  Suspended first, so that a quick worker never
 * resumes a connection that is not yet suspended. */
static void
http_submit(struct http_server *srv, struct http_call *call)
{
	bool hashes = (call->route->flags & HTTP_ROUTE_HASHES) != 0;
	struct workpool *lane = hashes ? srv->hashing : srv->work;

	call->dispatched = true;
	MHD_suspend_connection(call->conn);
	if (workpool_submit(lane, http_work, call,
	    hashes && srv->opts.hash_wait == 0))
		return;
	reply_error(&call->reply, ERR_SERVICE_BUSY, NULL, NULL,
	    "every worker is busy");
	call->done = true;
	MHD_resume_connection(call->conn);
}

/* Tell the observer (metrics.h) of an answer just queued. */
static void
http_observe(const struct http_call *call, int status)
{
	const struct http_options *opts = &call->srv->opts;

	if (opts->observe != NULL)
		opts->observe(opts->observe_arg, call->method,
		    call->route != NULL ? call->route->path : NULL, status,
		    (double)(http_now_ns() - call->arrived_ns) / 1e9);
}

/* Send the stored refusal now. */
static enum MHD_Result
http_refuse(struct MHD_Connection *conn, const char *method,
    const char *url, struct http_call *call)
{
	enum MHD_Result ok;

	call->answered = true;
	call->draining = false;
	ok = http_send(conn, method, url, &call->refusal,
	    http_draining(call->srv));
	http_observe(call, call->refusal.status);
	reply_clear(&call->refusal);
	return ok;
}


/* The connection's deadline record (see http_notify_connection). */
static struct http_tracked *
http_tracked_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* A new request's state, made when its request line arrives (or, should
 * that not have happened, on the first call of the access handler). */
static struct http_call *
http_call_new(struct http_server *srv, struct MHD_Connection *conn)
{
	struct http_call *call = xcalloc(1, sizeof *call);

	call->srv = srv;
	call->conn = conn;
	call->arrived_ns = http_now_ns();
	return call;
}

/* libmicrohttpd calls this with the raw request line's target, before
 * it splits the query string into arguments.  Limits on the target are
 * checked here, so that they can be answered with the JSON error shape:
 * libmicrohttpd's own refusals are HTML, and one for too many arguments
 * (which exhaust the connection's memory) cannot even be sent. */
static void *
http_uri_logged(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *srv = cls;
	struct http_call *call = http_call_new(srv, conn);
	size_t len = strlen(uri), args = 0;
	char *query;

	http_deadlines_request(srv->deadlines, http_tracked_of(conn));
	if (len > HTTP_URI_MAX) {
		cJSON *params = cJSON_CreateObject();

		cJSON_AddNumberToObject(params, "max", HTTP_URI_MAX);
		reply_error(&call->refusal, ERR_URI_TOO_LONG, NULL, params,
		    "request target longer than %d bytes", HTTP_URI_MAX);
	}
	if ((query = strchr(uri, '?')) != NULL) {
		for (const char *p = query; *p != '\0'; p++)
			if (*p == '&' || *p == ';')
				args++;
		args++;
	}
	if (call->refusal.status == 0 && args > HTTP_ARGS_MAX) {
		cJSON *params = cJSON_CreateObject();

		cJSON_AddNumberToObject(params, "max", HTTP_ARGS_MAX);
		reply_error(&call->refusal, ERR_HEADERS_TOO_LARGE, NULL, params,
		    "more than %d query arguments", HTTP_ARGS_MAX);
	}
	/* A refused target's query is cut off where it starts, in
	 * libmicrohttpd's own buffer (which it hands over writable and
	 * parses only after this returns), so that it is never split into
	 * arguments that would exhaust the connection's memory. */
	if (call->refusal.status != 0 && query != NULL)
		query[1] = '\0';
	return call;
}

/* Send the worker's answer. */
static enum MHD_Result
http_answer(struct http_call *call)
{
	enum MHD_Result ok;

	call->answered = true;
	ok = http_send(call->conn, call->method, call->url, &call->reply,
	    http_draining(call->srv));
	http_observe(call, call->reply.status);
	reply_clear(&call->reply);
	return ok;
}

/* libmicrohttpd access handler: called once with the headers, then once
 * per chunk of body, then once more with no data; and once more after a
 * worker resumed the connection with the answer. */
static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_call *call = *con_cls;

	if (call == NULL)
		*con_cls = call = http_call_new(srv, conn);
	if (!call->started) {
		call->started = true;
		call->method = method;
		call->url = url;
		if (call->refusal.status != 0 ||
		    http_precheck(&srv->opts, conn, method, url, &call->route,
		    &call->refusal)) {
			call->draining = true;
			if (!http_has_body(conn) ||
			    http_declared_above(conn, HTTP_DRAIN_MAX))
				return http_refuse(conn, method, url, call);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t size = *upload_data_size;

		*upload_data_size = 0;
		if (call->answered)
			return MHD_YES;
		if (call->draining) {
			call->drained += size;
			/* libmicrohttpd cannot answer in the middle of a body:
			 * a sender this insistent just loses the connection. */
			if (call->drained > HTTP_DRAIN_MAX) {
				log_info("%s %.200s: body past %d bytes, "
				    "connection closed", method, url,
				    HTTP_DRAIN_MAX);
				call->answered = true;
				return MHD_NO;
			}
			return MHD_YES;
		}
		if (!http_body_append(srv, call, upload_data, size)) {
			http_too_large(srv->opts.max_body, &call->refusal);
			call->draining = true;
			call->drained = size;
		}
		return MHD_YES;
	}
	if (call->answered)
		return MHD_YES;
	if (call->draining)
		return http_refuse(conn, method, url, call);
	if (call->done)
		return http_answer(call);
	if (!call->dispatched &&
	    (call->route->flags & HTTP_ROUTE_INLINE) != 0) {
		http_dispatch(call, &call->reply);
		call->done = true;
		return http_answer(call);
	}
	if (!call->dispatched) {
		http_deadlines_working(srv->deadlines, http_tracked_of(conn));
		http_submit(srv, call);
	}
	return MHD_YES;
}

/* End of a request: wipe and free its body; the connection is idle. */
static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_call *call = *con_cls;

	http_deadlines_idle(srv->deadlines, http_tracked_of(conn));
	if (call == NULL)
		return;
	http_body_drop(call);
	reply_clear(&call->refusal);
	reply_clear(&call->reply);
	free(call);
	*con_cls = NULL;
}

/* libmicrohttpd's error messages, into our log.  It writes one line per
 * refused connection: a flood of connections must not become a flood of
 * log lines, so a message repeated within a second is counted and the
 * count given with its next appearance. */
__attribute__((format(printf, 2, 0)))
static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *srv = cls;
	struct http_log_repeat *lr = &srv->log_repeat;
	char buf[sizeof lr->last];
	unsigned int repeats;
	time_t now = time(NULL);
	size_t n;

	vsnprintf(buf, sizeof buf, fmt, ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	pthread_mutex_lock(&lr->lock);
	if (strcmp(buf, lr->last) == 0 && now == lr->when) {
		lr->repeats++;
		pthread_mutex_unlock(&lr->lock);
		return;
	}
	repeats = strcmp(buf, lr->last) == 0 ? lr->repeats : 0;
	memcpy(lr->last, buf, sizeof buf);
	lr->when = now;
	lr->repeats = 0;
	pthread_mutex_unlock(&lr->lock);
	if (repeats > 0)
		log_warn("http: %s (and %u more in the second before)", buf,
		    repeats);
	else
		log_warn("http: %s", buf);
}

/* Parse the listen address into sa; false if it is not an IP literal. */
static bool
http_parse_listen(const char *listen, unsigned short port,
    struct sockaddr_storage *sa, bool *ipv6)
{
	memset(sa, 0, sizeof *sa);
	if (strchr(listen, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;

		*ipv6 = true;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return inet_pton(AF_INET6, listen, &s6->sin6_addr) == 1;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)sa;

		*ipv6 = false;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return inet_pton(AF_INET, listen, &s4->sin_addr) == 1;
	}
}

/* Each new and closed connection is logged, so that an operator (and a
 * test) can see that a client keeps one connection for its session.
 * Each is tracked for its deadlines from the moment it is accepted. */
static void
http_notify_connection(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci;

		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci != NULL)
			*socket_context = http_deadlines_add(srv->deadlines,
			    ci->connect_fd);
		log_info("connection opened");
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		http_deadlines_remove(srv->deadlines, *socket_context);
		*socket_context = NULL;
		log_info("connection closed");
	}
}

/* Release what http_start made, in reverse order. */
static void
http_free(struct http_server *srv)
{
	/* Workers first: each resumes its connection, and libmicrohttpd
	 * refuses to stop with connections still suspended. */
	workpool_stop(srv->hashing);
	workpool_stop(srv->work);
	if (srv->daemon != NULL)
		MHD_stop_daemon(srv->daemon);
	http_deadlines_stop(srv->deadlines);
	pthread_mutex_destroy(&srv->log_repeat.lock);
	free(srv);
}

/* Start serving. */
struct http_server *
http_start(const struct http_options *opts, char **error)
{
	struct http_server *srv;
	struct sockaddr_storage sa;
	const union MHD_DaemonInfo *info;
	unsigned int flags;
	bool ipv6;

	*error = NULL;
	if (!http_parse_listen(opts->listen, opts->port, &sa, &ipv6)) {
		xasprintf(error, "listen address \"%s\" is not an IPv4 or IPv6 "
		    "address", opts->listen);
		return NULL;
	}
	srv = xcalloc(1, sizeof *srv);
	srv->opts = *opts;
	pthread_mutex_init(&srv->log_repeat.lock, NULL);
	srv->deadlines = http_deadlines_start(opts->request_timeout,
	    opts->keepalive_timeout);
	srv->work = workpool_start(opts->workers, HTTP_QUEUE_MAX);
	srv->hashing = workpool_start(opts->hash_workers, HTTP_QUEUE_MAX);
	if (srv->deadlines == NULL || srv->work == NULL ||
	    srv->hashing == NULL) {
		xasprintf(error, "cannot start threads");
		http_free(srv);
		return NULL;
	}
	/* A few event threads, each with its own epoll set, serve every
	 * connection; no handler runs on them (http_submit). */
	flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(flags, opts->port, NULL, NULL,
	    http_access, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_HTTPS_MEM_KEY, opts->key_pem,
	    MHD_OPTION_HTTPS_MEM_CERT, opts->cert_pem,
	    MHD_OPTION_HTTPS_PRIORITIES, HTTP_TLS_PRIORITIES,
	    MHD_OPTION_THREAD_POOL_SIZE, opts->threads,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)opts->keepalive_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->per_client_connections,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
	    MHD_OPTION_URI_LOG_CALLBACK, http_uri_logged, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, http_notify_connection, srv,
	    MHD_OPTION_END);
	if (srv->daemon == NULL) {
		xasprintf(error, "cannot listen on %s port %u (in use, or the "
		    "certificate and key do not match?)", opts->listen,
		    (unsigned int)opts->port);
		http_free(srv);
		return NULL;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info != NULL && info->port != 0 ? info->port : opts->port;
	return srv;
}

/* Password hashes being computed and requests waiting for a thread to
 * compute one. */
void
http_hash_load(struct http_server *srv, unsigned int *running,
    unsigned int *queued)
{
	workpool_load(srv->hashing, running, queued);
}

/* The port actually listened on. */
unsigned short
http_port(const struct http_server *srv)
{
	return srv->port;
}

/* A graceful stop: accept nothing new, close idle connections, let the
 * requests in flight be answered (each answer closes its connection),
 * for at most `seconds`. */
static void
http_drain(struct http_server *srv, long seconds)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 }, now, end;
	MHD_socket listener = MHD_quiesce_daemon(srv->daemon);
	unsigned int open;

	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	__atomic_store_n(&srv->draining, true, __ATOMIC_RELEASE);
	http_deadlines_drain(srv->deadlines);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	log_info("stopping: no new connections; finishing requests in "
	    "flight (at most %ld s)", seconds);
	for (;;) {
		if ((open = http_deadlines_count(srv->deadlines)) == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec &&
		    now.tv_nsec >= end.tv_nsec)) {
			log_warn("stopping: %u connection%s still open after "
			    "%ld s, closed", open, open == 1 ? "" : "s",
			    seconds);
			return;
		}
		nanosleep(&pause, NULL);
	}
	log_info("stopping: every request answered");
}

/* Stop serving and free. */
void
http_stop(struct http_server *srv, long drain_seconds)
{
	if (srv == NULL)
		return;
	if (drain_seconds > 0)
		http_drain(srv, drain_seconds);
	http_free(srv);
}
