/* GET /metrics over plain HTTP on its own address (metrics_listen), so
 * that a monitoring system scrapes it without the API's TLS and without
 * the API's port ever answering it.  Off unless configured. */
#ifndef MADOGUCHID_METRICS_HTTP_H
#define MADOGUCHID_METRICS_HTTP_H

#include "metrics.h"

struct metrics_http;

/* Listen on "ADDR:PORT" ("[ADDR]:PORT" for IPv6; port 0 picks a free
 * one); each scrape renders m with gauges filled by fn(arg).  NULL with
 * *error (malloc'd) on failure. */
struct metrics_http *metrics_http_start(const char *listen,
    struct metrics *m, metrics_gauge_fn fn, void *arg, char **error);
/* The port actually listened on. */
unsigned short metrics_http_port(const struct metrics_http *);
/* Stop listening and free. */
void metrics_http_stop(struct metrics_http *);
/* Check a metrics_listen value; 0, or -1 with *problem (malloc'd). */
int metrics_http_check_listen(const char *listen, char **problem);

#endif
