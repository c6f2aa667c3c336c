/* Deadlines for connections that send slowly.
 *
 * libmicrohttpd's own timeout is an idle timeout: every byte received
 * resets it, so a client that sends one header byte every few seconds
 * (slowloris) or one body byte at a time holds its connection for ever.
 * Here each connection has an absolute deadline instead: a new
 * connection must deliver its first request within request_timeout, a
 * kept-alive one must start its next request within keepalive_timeout
 * of the last answer and deliver it within request_timeout of its
 * request line.  While a request is being worked on there is no
 * deadline.  A thread checks once a second and shuts down the socket of
 * every connection past its deadline; libmicrohttpd then closes it as
 * it would any connection the peer dropped. */
#ifndef MADOGUCHID_HTTP_DEADLINE_H
#define MADOGUCHID_HTTP_DEADLINE_H

struct http_deadlines;
struct http_tracked;

/* Start the checking thread; NULL if it cannot start. */
struct http_deadlines *http_deadlines_start(long request_timeout,
    long keepalive_timeout);
/* Stop the thread and free (every connection must be gone). */
void http_deadlines_stop(struct http_deadlines *);

/* A connection opened on socket fd: it has request_timeout to deliver
 * its first request. */
struct http_tracked *http_deadlines_add(struct http_deadlines *, int fd);
/* A request line arrived: if the connection was idle, it now has
 * request_timeout to deliver the rest of the request. */
void http_deadlines_request(struct http_deadlines *, struct http_tracked *);
/* The request is complete and being worked on: no deadline. */
void http_deadlines_working(struct http_deadlines *, struct http_tracked *);
/* The answer went out: idle, keepalive_timeout until the next request. */
void http_deadlines_idle(struct http_deadlines *, struct http_tracked *);
/* The connection is closing (before its socket is closed). */
void http_deadlines_remove(struct http_deadlines *, struct http_tracked *);

/* Draining (a graceful stop): idle connections are closed now and each
 * other one as soon as it has been answered. */
void http_deadlines_drain(struct http_deadlines *);
/* Connections open. */
unsigned int http_deadlines_count(struct http_deadlines *);

#endif
