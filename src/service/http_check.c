/* The request as libmicrohttpd holds it: finding its route, the checks
 * that need only the request line and headers, and what a handler reads
 * of it besides the body. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "http_check.h"
#include "http_path.h"
#include "reply.h"
#include "xmalloc.h"

/* More header fields than any client of this API sends. */
#define HTTP_HEADERS_MAX 64

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

/* The 413 reply. */
void
http_too_large(size_t max_body, struct http_reply *r)
{
	cJSON *params = cJSON_CreateObject();

	cJSON_AddNumberToObject(params, "max", (double)max_body);
	reply_error(r, ERR_BODY_TOO_LARGE, NULL, params,
	    "body longer than %zu bytes", max_body);
	r->close = true;
}

/* Checks that need only the request line and headers: route, declared
 * length, content type, the number of header fields.  Returns true with
 * *r filled when the request is refused before its body is read. */
bool
http_precheck(const struct http_options *opts, struct MHD_Connection *conn,
    const char *method, const char *url, const struct http_route **route,
    struct http_reply *r)
{
	const char *cl, *ct;
	char *allow;

	if (MHD_get_connection_values(conn, MHD_HEADER_KIND, NULL,
	    NULL) > HTTP_HEADERS_MAX) {
		cJSON *params = cJSON_CreateObject();

		cJSON_AddNumberToObject(params, "max", HTTP_HEADERS_MAX);
		reply_error(r, ERR_HEADERS_TOO_LARGE, NULL, params,
		    "more than %d header fields", HTTP_HEADERS_MAX);
		r->close = true;
		return true;
	}
	switch (http_route_find(opts->routes, method, url, route, &allow)) {
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
	if (cl != NULL && strtoull(cl, NULL, 10) > opts->max_body) {
		http_too_large(opts->max_body, r);
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

/* Will a body follow the headers? */
bool
http_has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
		return true;
	return cl != NULL && strtoull(cl, NULL, 10) > 0;
}

/* Declared body length above max? */
bool
http_declared_above(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);

	return cl != NULL && strtoull(cl, NULL, 10) > max;
}

/* The client's address as text ("" if unknown). */
void
http_client_addr(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	buf[0] = '\0';
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, buf, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)size);
}

