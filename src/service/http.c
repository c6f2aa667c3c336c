/* libmicrohttpd over TLS: body accumulation, routing, sending replies. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"
#include "http_path.h"
#include "log.h"
#include "reply.h"
#include "xmalloc.h"

/* libmicrohttpd's own limits: an idle connection is closed after this
 * many seconds, and at most this many connections (each a thread) are
 * served at once. */
#define HTTP_CONNECTION_TIMEOUT 30
#define HTTP_CONNECTION_LIMIT 64

/* TLS 1.2 and 1.3 only. */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_options opts;
	unsigned short port;
};

/* A refused request's body is still read and dropped, up to this many
 * bytes, before the refusal is sent: a client that sends its whole body
 * before reading (curl does) would otherwise lose the answer to a reset
 * connection.  Past this, the answer goes at once and the connection is
 * closed. */
#define HTTP_DRAIN_MAX (1024 * 1024)

/* One request's state between calls of the access handler. */
struct http_call {
	char *body;
	size_t len;
	size_t cap;
	bool draining;		/* refused: body dropped, refusal due */
	size_t drained;
	struct http_reply refusal;
	bool answered;		/* a reply has been queued */
};

/* Route lookup result. */
enum http_match {
	HTTP_MATCH_OK,
	HTTP_MATCH_NO_PATH,
	HTTP_MATCH_NO_METHOD
};

/* A query-string argument, or NULL. */
const char *
http_request_arg(const struct http_request *req, const char *name)
{
	if (req->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

/* Find the route for method and path; for a known path with another
 * method, *allow lists the path's methods (malloc'd). */
static enum http_match
http_route_find(const struct http_route *routes, const char *method,
    const char *path, const struct http_route **found, char **allow)
{
	enum http_match m = HTTP_MATCH_NO_PATH;

	*found = NULL;
	*allow = NULL;
	for (const struct http_route *r = routes; r->fn != NULL; r++) {
		if (!http_path_match(r->path, path, NULL))
			continue;
		if (strcmp(r->method, method) == 0) {
			*found = r;
			free(*allow);
			*allow = NULL;
			return HTTP_MATCH_OK;
		}
		m = HTTP_MATCH_NO_METHOD;
		if (*allow == NULL)
			*allow = xstrdup(r->method);
		else {
			char *joined;

			xasprintf(&joined, "%s, %s", *allow, r->method);
			free(*allow);
			*allow = joined;
		}
	}
	return m;
}

/* Is this Content-Type JSON?  Parameters (charset) are allowed. */
static bool
http_is_json(const char *ct)
{
	static const char json[] = "application/json";
	size_t n = sizeof json - 1;

	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, json, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
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
    struct http_reply *r)
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
	if (r->close)
		http_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ok = MHD_queue_response(conn, (unsigned int)r->status, resp);
	MHD_destroy_response(resp);
	/* Method and path only: never headers or body. */
	log_info("%s %.200s %d", method, url, r->status);
	return ok;
}

/* The 413 reply. */
static void
http_too_large(struct http_server *srv, struct http_reply *r)
{
	cJSON *params = cJSON_CreateObject();

	cJSON_AddNumberToObject(params, "max", (double)srv->opts.max_body);
	reply_error(r, ERR_BODY_TOO_LARGE, NULL, params,
	    "body longer than %zu bytes", srv->opts.max_body);
	r->close = true;
}

/* Checks that need only the request line and headers: route, declared
 * length, content type.  Returns true with *r filled when the request is
 * refused before its body is read. */
static bool
http_precheck(struct http_server *srv, struct MHD_Connection *conn,
    const char *method, const char *url, struct http_reply *r)
{
	const struct http_route *route;
	const char *cl, *ct;
	char *allow;

	switch (http_route_find(srv->opts.routes, method, url, &route,
	    &allow)) {
	case HTTP_MATCH_NO_PATH:
		reply_error(r, ERR_NOT_FOUND, NULL, NULL, "no such path");
		return true;
	case HTTP_MATCH_NO_METHOD:
		reply_error(r, ERR_METHOD_NOT_ALLOWED, NULL, NULL,
		    "method %.16s not allowed here", method);
		r->allow = allow;
		return true;
	case HTTP_MATCH_OK:
		break;
	}
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	/* libmicrohttpd has already refused a malformed length. */
	if (cl != NULL && strtoull(cl, NULL, 10) > srv->opts.max_body) {
		http_too_large(srv, r);
		return true;
	}
	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if ((strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0) &&
	    ct != NULL && !http_is_json(ct)) {
		reply_error(r, ERR_UNSUPPORTED_MEDIA_TYPE, NULL, NULL,
		    "content type must be application/json");
		return true;
	}
	return false;
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

/* The peer's IP address as text ("" when unknown), for rate limits. */
static const char *
http_client_addr(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;
	const void *in = NULL;

	buf[0] = '\0';
	if (sa != NULL && sa->sa_family == AF_INET)
		in = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa != NULL && sa->sa_family == AF_INET6)
		in = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (in == NULL || inet_ntop(sa->sa_family, in, buf,
	    (socklen_t)size) == NULL)
		buf[0] = '\0';
	return buf;
}

/* Run the route's handler on the complete request. */
static void
http_dispatch(struct http_server *srv, struct MHD_Connection *conn,
    const char *method, const char *url, struct http_call *call,
    struct http_reply *r)
{
	const struct http_route *route;
	struct http_request req;
	char *allow, *param = NULL, addr[INET6_ADDRSTRLEN];

	if (http_route_find(srv->opts.routes, method, url, &route,
	    &allow) != HTTP_MATCH_OK) {
		/* precheck already answered; not reached. */
		free(allow);
		reply_error(r, ERR_NOT_FOUND, NULL, NULL, "no such path");
		return;
	}
	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = url;
	req.body = call->body != NULL ? call->body : "";
	req.body_len = call->len;
	req.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	req.authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	req.client_addr = http_client_addr(conn, addr, sizeof addr);
	req.conn = conn;
	http_path_match(route->path, url, &param);
	req.param = param;
	route->fn(srv->opts.ctx, &req, r);
	free(param);
	if (r->status == 0)
		reply_error(r, ERR_INTERNAL, NULL, NULL, "no answer");
}

/* Will a body follow the headers? */
static bool
http_has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
		return true;
	return cl != NULL && strtoull(cl, NULL, 10) > 0;
}

/* Declared body length too long even to drain? */
static bool
http_too_long_to_drain(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	return cl != NULL && strtoull(cl, NULL, 10) > HTTP_DRAIN_MAX;
}

/* Send the stored refusal now. */
static enum MHD_Result
http_refuse(struct MHD_Connection *conn, const char *method,
    const char *url, struct http_call *call)
{
	enum MHD_Result ok;

	call->answered = true;
	call->draining = false;
	ok = http_send(conn, method, url, &call->refusal);
	reply_clear(&call->refusal);
	return ok;
}

/* libmicrohttpd access handler: called once with the headers, then once
 * per chunk of body, then once more with no data. */
static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_call *call = *con_cls;
	struct http_reply r;
	enum MHD_Result ok;

	if (call == NULL) {
		call = xcalloc(1, sizeof *call);
		*con_cls = call;
		if (!http_precheck(srv, conn, method, url, &call->refusal))
			return MHD_YES;
		call->draining = true;
		if (!http_has_body(conn) || http_too_long_to_drain(conn))
			return http_refuse(conn, method, url, call);
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
			http_too_large(srv, &call->refusal);
			call->draining = true;
			call->drained = size;
		}
		return MHD_YES;
	}
	if (call->answered)
		return MHD_YES;
	if (call->draining)
		return http_refuse(conn, method, url, call);
	call->answered = true;
	memset(&r, 0, sizeof r);
	http_dispatch(srv, conn, method, url, call, &r);
	ok = http_send(conn, method, url, &r);
	reply_clear(&r);
	return ok;
}

/* End of a request: wipe and free its body. */
static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_call *call = *con_cls;

	if (call == NULL)
		return;
	http_body_drop(call);
	reply_clear(&call->refusal);
	free(call);
	*con_cls = NULL;
}

/* libmicrohttpd's error messages, into our log. */
__attribute__((format(printf, 2, 0)))
static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t n;

	vsnprintf(buf, sizeof buf, fmt, ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
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

/* Start serving. */
/* Each new and closed connection is logged, so that an operator (and a
 * test) can see that a client keeps one connection for its session. */
static void
http_connection_event(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		log_info("connection opened");
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		log_info("connection closed");
}

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
	/* A thread per connection: handlers block on argon2id and SQLite,
	 * and must not hold up other clients while they do. */
	flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL | MHD_USE_ERROR_LOG;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(flags, opts->port, NULL, NULL,
	    http_access, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_HTTPS_MEM_KEY, opts->key_pem,
	    MHD_OPTION_HTTPS_MEM_CERT, opts->cert_pem,
	    MHD_OPTION_HTTPS_PRIORITIES, HTTP_TLS_PRIORITIES,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_CONNECTION_TIMEOUT,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_CONNECTION_LIMIT,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, http_connection_event, srv,
	    MHD_OPTION_END);
	if (srv->daemon == NULL) {
		xasprintf(error, "cannot listen on %s port %u (in use, or the "
		    "certificate and key do not match?)", opts->listen,
		    (unsigned int)opts->port);
		free(srv);
		return NULL;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info != NULL && info->port != 0 ? info->port : opts->port;
	return srv;
}

/* The port actually listened on. */
unsigned short
http_port(const struct http_server *srv)
{
	return srv->port;
}

/* Stop serving and free. */
void
http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
