/* Checks on a request before its body is read, for http.c. */
#ifndef MADOGUCHID_HTTP_CHECK_H
#define MADOGUCHID_HTTP_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

#include "http.h"

/* Route, header count, declared length and content type: true with *r
 * filled when the request is refused before its body is read; *route is
 * the request's route otherwise. */
bool http_precheck(const struct http_options *, struct MHD_Connection *,
    const char *method, const char *url, const struct http_route **route,
    struct http_reply *r);
/* Fill the 413 reply. */
void http_too_large(size_t max_body, struct http_reply *r);
/* Will a body follow the headers? */
bool http_has_body(struct MHD_Connection *);
/* Is the declared Content-Length above max? */
bool http_declared_above(struct MHD_Connection *, size_t max);
/* The peer's IP address as text into buf ("" if unknown). */
void http_client_addr(struct MHD_Connection *, char *buf, size_t size);

#endif
