/* The metrics listener: a small libmicrohttpd daemon without TLS. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "metrics_http.h"
#include "xmalloc.h"

/* A scraper or two; nobody else should be connecting here. */
#define METRICS_HTTP_CONNECTIONS 16
#define METRICS_HTTP_TIMEOUT 10

struct metrics_http {
	struct MHD_Daemon *daemon;
	struct metrics *metrics;
	metrics_gauge_fn gauges;
	void *arg;
	unsigned short port;
};

/* "ADDR:PORT" or "[ADDR]:PORT" into sa; false if it is neither. */
static bool
metrics_http_parse(const char *listen, struct sockaddr_storage *sa,
    bool *ipv6)
{
	const char *colon = strrchr(listen, ':');
	char addr[INET6_ADDRSTRLEN + 2], *end;
	size_t len;
	long port;

	if (colon == NULL || colon[1] == '\0')
		return false;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return false;
	len = (size_t)(colon - listen);
	if (len >= sizeof addr)
		return false;
	memcpy(addr, listen, len);
	addr[len] = '\0';
	memset(sa, 0, sizeof *sa);
	*ipv6 = addr[0] == '[';
	if (*ipv6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;

		if (len < 3 || addr[len - 1] != ']')
			return false;
		addr[len - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		return inet_pton(AF_INET6, addr + 1, &s6->sin6_addr) == 1;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)sa;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		return inet_pton(AF_INET, addr, &s4->sin_addr) == 1;
	}
}

/* Check a metrics_listen value. */
int
metrics_http_check_listen(const char *listen, char **problem)
{
	struct sockaddr_storage sa;
	bool ipv6;

	*problem = NULL;
	if (*listen == '\0' || metrics_http_parse(listen, &sa, &ipv6))
		return 0;
	xasprintf(problem, "metrics_listen must be ADDRESS:PORT or "
	    "[IPv6 ADDRESS]:PORT (empty: off)");
	return -1;
}

/* Queue a plain-text answer. */
static enum MHD_Result
metrics_http_answer(struct MHD_Connection *conn, unsigned int status,
    char *text, const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;

	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	/* Version 0.0.4 of the text format, as Prometheus asks for it. */
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    status == MHD_HTTP_OK ? "text/plain; version=0.0.4; charset=utf-8" :
	    "text/plain; charset=utf-8");
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	if (allow != NULL)
		(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    allow);
	ok = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* GET /metrics; anything else is 404 or 405.  Bodies are not read. */
static enum MHD_Result
metrics_http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct metrics_http *mh = cls;
	struct metrics_gauges g;

	(void)version;
	(void)upload_data;
	(void)con_cls;
	/* Answered on the first call, with the headers: a body is never
	 * wanted here. */
	*upload_data_size = 0;
	if (strcmp(url, "/metrics") != 0)
		return metrics_http_answer(conn, MHD_HTTP_NOT_FOUND,
		    xstrdup("not found: the metrics are at /metrics\n"), NULL);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return metrics_http_answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    xstrdup("method not allowed\n"), "GET, HEAD");
	memset(&g, 0, sizeof g);
	mh->gauges(mh->arg, &g);
	return metrics_http_answer(conn, MHD_HTTP_OK,
	    metrics_render(mh->metrics, &g), NULL);
}

/* Start the listener. */
struct metrics_http *
metrics_http_start(const char *listen, struct metrics *m,
    metrics_gauge_fn fn, void *arg, char **error)
{
	struct metrics_http *mh;
	struct sockaddr_storage sa;
	const union MHD_DaemonInfo *info;
	unsigned int flags;
	bool ipv6;

	*error = NULL;
	if (!metrics_http_parse(listen, &sa, &ipv6)) {
		(void)metrics_http_check_listen(listen, error);
		return NULL;
	}
	mh = xcalloc(1, sizeof *mh);
	mh->metrics = m;
	mh->gauges = fn;
	mh->arg = arg;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	mh->daemon = MHD_start_daemon(flags, 0, NULL, NULL,
	    metrics_http_access, mh,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)METRICS_HTTP_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)METRICS_HTTP_TIMEOUT,
	    MHD_OPTION_END);
	if (mh->daemon == NULL) {
		xasprintf(error, "metrics: cannot listen on %s", listen);
		free(mh);
		return NULL;
	}
	info = MHD_get_daemon_info(mh->daemon, MHD_DAEMON_INFO_BIND_PORT);
	mh->port = info != NULL ? info->port : 0;
	return mh;
}

/* The port listened on. */
unsigned short
metrics_http_port(const struct metrics_http *mh)
{
	return mh->port;
}

/* Stop and free. */
void
metrics_http_stop(struct metrics_http *mh)
{
	if (mh == NULL)
		return;
	MHD_stop_daemon(mh->daemon);
	free(mh);
}
