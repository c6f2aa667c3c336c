/* What GET /metrics shows (Prometheus text format 0.0.4): requests by
 * route and status, their latency, rate-limit refusals, and gauges read
 * when scraped (hashes, mail queue, live sessions).
 *
 * The HTTP layer and the rate limits count through the two calls below;
 * they are cheap (one mutex) and take a NULL metrics as "not counted".
 * metrics_http.h serves the text on its own listen address. */
#ifndef MADOGUCHID_METRICS_H
#define MADOGUCHID_METRICS_H

#include <stdbool.h>

struct metrics;

/* What is measured at scrape time rather than counted. */
struct metrics_gauges {
	unsigned int hashes_running;	/* password hashes being computed */
	unsigned int hashes_queued;	/* requests waiting to compute one */
	bool store_ok;			/* the three below were read */
	long long mail_queued;		/* mails not yet delivered */
	long long mail_oldest_age;	/* seconds the oldest has waited */
	long long sessions_live;	/* sessions not yet expired */
};

/* Fill the gauges; called on the metrics server's thread. */
typedef void (*metrics_gauge_fn)(void *arg, struct metrics_gauges *);

/* Empty counters. */
struct metrics *metrics_new(void);
/* Free them. */
void metrics_free(struct metrics *);
/* One answered request: method, the route's pattern ("/api/v1/notices/{}",
 * never the path a client sent: its labels stay few) or NULL when no
 * route matched, the status, and seconds from its arrival to its answer. */
void metrics_request(struct metrics *, const char *method, const char *route,
    int status, double seconds);
/* One attempt refused by a rate limit of this kind (settings.h's
 * names: registration, code, recovery, login). */
void metrics_refusal(struct metrics *, const char *kind);
/* The exposition text with these gauges; malloc'd. */
char *metrics_render(struct metrics *, const struct metrics_gauges *);

#endif
