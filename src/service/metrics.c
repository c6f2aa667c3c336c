/* Counters and the latency histogram for GET /metrics. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "xmalloc.h"

/* Upper bounds of the latency buckets, seconds: from a cached GET to a
 * log-in that waited for a hashing thread (hash_wait is 10 s). */
static const double metrics_bounds[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
#define METRICS_NBOUNDS (sizeof metrics_bounds / sizeof metrics_bounds[0])

/* Statuses kept apart per route; a route answers only a handful. */
#define METRICS_NSTATUS 24

/* One method and route: its answers by status, and its latencies. */
struct metrics_route {
	char method[8];
	char *route;
	struct {
		int status;
		unsigned long long n;
	} statuses[METRICS_NSTATUS];
	unsigned int nstatus;
	unsigned long long buckets[METRICS_NBOUNDS];
	unsigned long long count;
	double sum;
};

/* Refusals by kind of rate limit. */
struct metrics_refusal {
	char kind[24];
	unsigned long long n;
};

struct metrics {
	pthread_mutex_t lock;
	struct metrics_route *routes;
	size_t nroutes;
	struct metrics_refusal refusals[8];
	size_t nrefusals;
};

/* Empty counters. */
struct metrics *
metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof *m);

	pthread_mutex_init(&m->lock, NULL);
	return m;
}

/* Free them. */
void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nroutes; i++)
		free(m->routes[i].route);
	free(m->routes);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* A method as a label: any other word a client sends is "other", so that
 * nobody can grow the table by inventing methods. */
static const char *
metrics_method(const char *method)
{
	static const char *const known[] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", NULL
	};

	for (const char *const *k = known; *k != NULL; k++)
		if (method != NULL && strcmp(method, *k) == 0)
			return *k;
	return "other";
}

/* The entry for method and route, added when new; lock held. */
static struct metrics_route *
metrics_route_of(struct metrics *m, const char *method, const char *route)
{
	struct metrics_route *r;

	for (size_t i = 0; i < m->nroutes; i++) {
		r = &m->routes[i];
		if (strcmp(r->method, method) == 0 &&
		    strcmp(r->route, route) == 0)
			return r;
	}
	m->routes = xreallocarray(m->routes, m->nroutes + 1,
	    sizeof *m->routes);
	r = &m->routes[m->nroutes++];
	memset(r, 0, sizeof *r);
	snprintf(r->method, sizeof r->method, "%s", method);
	r->route = xstrdup(route);
	return r;
}

/* One answered request. */
void
metrics_request(struct metrics *m, const char *method, const char *route,
    int status, double seconds)
{
	struct metrics_route *r;
	unsigned int i;

	if (m == NULL)
		return;
	/* Unmatched paths share one label: a scan of random paths must not
	 * make a series for each. */
	if (route == NULL) {
		route = "other";
		method = "other";
	} else
		method = metrics_method(method);
	if (seconds < 0)
		seconds = 0;
	pthread_mutex_lock(&m->lock);
	r = metrics_route_of(m, method, route);
	for (i = 0; i < r->nstatus && r->statuses[i].status != status; i++)
		;
	if (i == r->nstatus && i < METRICS_NSTATUS) {
		r->statuses[i].status = status;
		r->statuses[i].n = 0;
		r->nstatus++;
	}
	if (i < METRICS_NSTATUS)
		r->statuses[i].n++;
	for (size_t b = 0; b < METRICS_NBOUNDS; b++)
		if (seconds <= metrics_bounds[b])
			r->buckets[b]++;
	r->count++;
	r->sum += seconds;
	pthread_mutex_unlock(&m->lock);
}

/* One refusal by a rate limit. */
void
metrics_refusal(struct metrics *m, const char *kind)
{
	size_t i;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->nrefusals && strcmp(m->refusals[i].kind, kind) != 0;
	    i++)
		;
	if (i == m->nrefusals &&
	    i < sizeof m->refusals / sizeof m->refusals[0]) {
		snprintf(m->refusals[i].kind, sizeof m->refusals[i].kind, "%s",
		    kind);
		m->refusals[i].n = 0;
		m->nrefusals++;
	}
	if (i < m->nrefusals)
		m->refusals[i].n++;
	pthread_mutex_unlock(&m->lock);
}

/* A growing text buffer. */
struct metrics_buf {
	char *s;
	size_t len, cap;
};

/* Append printf-style text. */
static void __attribute__((format(printf, 2, 3)))
metrics_put(struct metrics_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (n > 0 ? (size_t)n : 0);
		b->s = xreallocarray(b->s, b->cap, 1);
	}
}

/* The exposition text. */
char *
metrics_render(struct metrics *m, const struct metrics_gauges *g)
{
	struct metrics_buf b = { xmalloc(4096), 0, 4096 };

	b.s[0] = '\0';
	pthread_mutex_lock(&m->lock);
	metrics_put(&b, "# HELP madoguchid_http_requests_total Requests "
	    "answered, by method, route and status.\n"
	    "# TYPE madoguchid_http_requests_total counter\n");
	for (size_t i = 0; i < m->nroutes; i++) {
		const struct metrics_route *r = &m->routes[i];

		for (unsigned int s = 0; s < r->nstatus; s++)
			metrics_put(&b, "madoguchid_http_requests_total{method="
			    "\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
			    r->method, r->route, r->statuses[s].status,
			    r->statuses[s].n);
	}
	metrics_put(&b, "# HELP madoguchid_http_request_duration_seconds "
	    "Time from a request's arrival to its answer.\n"
	    "# TYPE madoguchid_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < m->nroutes; i++) {
		const struct metrics_route *r = &m->routes[i];

		for (size_t k = 0; k < METRICS_NBOUNDS; k++)
			metrics_put(&b, "madoguchid_http_request_duration_"
			    "seconds_bucket{method=\"%s\",route=\"%s\",le="
			    "\"%g\"} %llu\n", r->method, r->route,
			    metrics_bounds[k], r->buckets[k]);
		metrics_put(&b, "madoguchid_http_request_duration_seconds_"
		    "bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n"
		    "madoguchid_http_request_duration_seconds_sum{method="
		    "\"%s\",route=\"%s\"} %.6f\n"
		    "madoguchid_http_request_duration_seconds_count{method="
		    "\"%s\",route=\"%s\"} %llu\n", r->method, r->route,
		    r->count, r->method, r->route, r->sum, r->method, r->route,
		    r->count);
	}
	metrics_put(&b, "# HELP madoguchid_ratelimit_refusals_total Attempts "
	    "refused with 429 rate_limited, by kind.\n"
	    "# TYPE madoguchid_ratelimit_refusals_total counter\n");
	for (size_t i = 0; i < m->nrefusals; i++)
		metrics_put(&b, "madoguchid_ratelimit_refusals_total{kind=\"%s\"}"
		    " %llu\n", m->refusals[i].kind, m->refusals[i].n);
	pthread_mutex_unlock(&m->lock);

	metrics_put(&b, "# HELP madoguchid_hashes_in_flight Password hashes "
	    "being computed.\n# TYPE madoguchid_hashes_in_flight gauge\n"
	    "madoguchid_hashes_in_flight %u\n"
	    "# HELP madoguchid_hashes_queued Requests waiting for a hashing "
	    "thread.\n# TYPE madoguchid_hashes_queued gauge\n"
	    "madoguchid_hashes_queued %u\n", g->hashes_running,
	    g->hashes_queued);
	if (g->store_ok)
		metrics_put(&b, "# HELP madoguchid_mail_queue_length Mails "
		    "not yet delivered.\n"
		    "# TYPE madoguchid_mail_queue_length gauge\n"
		    "madoguchid_mail_queue_length %lld\n"
		    "# HELP madoguchid_mail_queue_oldest_seconds How long the "
		    "oldest undelivered mail has waited (0 when none).\n"
		    "# TYPE madoguchid_mail_queue_oldest_seconds gauge\n"
		    "madoguchid_mail_queue_oldest_seconds %lld\n"
		    "# HELP madoguchid_sessions_live Sessions not yet "
		    "ended.\n# TYPE madoguchid_sessions_live gauge\n"
		    "madoguchid_sessions_live %lld\n", g->mail_queued,
		    g->mail_oldest_age, g->sessions_live);
	metrics_put(&b, "# HELP madoguchid_store_up Whether the database "
	    "answered this scrape.\n# TYPE madoguchid_store_up gauge\n"
	    "madoguchid_store_up %d\n", g->store_ok ? 1 : 0);
	return b.s;
}
