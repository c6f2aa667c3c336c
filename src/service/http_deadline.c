/* Absolute per-request deadlines, enforced by one checking thread. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "http_deadline.h"
#include "log.h"
#include "xmalloc.h"

enum http_phase {
	HTTP_PHASE_RECEIVING,	/* a request is due */
	HTTP_PHASE_WORKING,	/* a request is being answered */
	HTTP_PHASE_IDLE		/* kept alive between requests */
};

struct http_tracked {
	struct http_tracked *prev, *next;
	int fd;
	enum http_phase phase;
	time_t deadline;	/* CLOCK_MONOTONIC seconds; 0 = none */
	bool cut;		/* already shut down */
};

struct http_deadlines {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct http_tracked *head;
	long request_timeout;
	long keepalive_timeout;
	unsigned int count;
	bool draining;
	bool stopping;
	pthread_t thread;
};

/* Monotonic seconds: the wall clock may be stepped. */
static time_t
http_deadlines_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Shut down every connection past its deadline.  The lock is held, and
 * a connection leaves the list before libmicrohttpd closes its socket,
 * so fd is never a number already reused by another file. */
static void
http_deadlines_check(struct http_deadlines *d)
{
	time_t now = http_deadlines_now();
	unsigned int cut = 0;

	for (struct http_tracked *t = d->head; t != NULL; t = t->next) {
		if (t->cut || t->deadline == 0 || now < t->deadline)
			continue;
		shutdown(t->fd, SHUT_RDWR);
		t->cut = true;
		cut++;
	}
	/* One line per pass, not per connection: a flood of slow clients
	 * must not flood the log as well. */
	if (cut > 0)
		log_info("closed %u connection%s that did not send a request "
		    "in time", cut, cut == 1 ? "" : "s");
}

/* The checking thread. */
static void *
http_deadlines_main(void *arg)
{
	struct http_deadlines *d = arg;
	struct timespec next;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		clock_gettime(CLOCK_REALTIME, &next);
		next.tv_sec += 1;
		pthread_cond_timedwait(&d->wake, &d->lock, &next);
		if (!d->stopping)
			http_deadlines_check(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

/* Start the thread. */
struct http_deadlines *
http_deadlines_start(long request_timeout, long keepalive_timeout)
{
	struct http_deadlines *d = xcalloc(1, sizeof *d);
	sigset_t all, old;
	int rc;

	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	d->request_timeout = request_timeout;
	d->keepalive_timeout = keepalive_timeout;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&d->thread, NULL, http_deadlines_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return NULL;
	}
	return d;
}

/* Stop the thread. */
void
http_deadlines_stop(struct http_deadlines *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	/* Any left are libmicrohttpd's to free with their connections. */
	while (d->head != NULL) {
		struct http_tracked *t = d->head;

		d->head = t->next;
		free(t);
	}
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

/* Track a new connection. */
struct http_tracked *
http_deadlines_add(struct http_deadlines *d, int fd)
{
	struct http_tracked *t = xcalloc(1, sizeof *t);

	t->fd = fd;
	t->phase = HTTP_PHASE_RECEIVING;
	t->deadline = http_deadlines_now() + d->request_timeout;
	pthread_mutex_lock(&d->lock);
	d->count++;
	t->next = d->head;
	if (d->head != NULL)
		d->head->prev = t;
	d->head = t;
	pthread_mutex_unlock(&d->lock);
	return t;
}

/* A request line: an idle connection starts a new request. */
void
http_deadlines_request(struct http_deadlines *d, struct http_tracked *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	if (t->phase == HTTP_PHASE_IDLE) {
		t->phase = HTTP_PHASE_RECEIVING;
		t->deadline = http_deadlines_now() + d->request_timeout;
	}
	pthread_mutex_unlock(&d->lock);
}

/* A whole request is in: no deadline while it is answered. */
void
http_deadlines_working(struct http_deadlines *d, struct http_tracked *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	t->phase = HTTP_PHASE_WORKING;
	t->deadline = 0;
	pthread_mutex_unlock(&d->lock);
}

/* Answered: idle until the next request line. */
void
http_deadlines_idle(struct http_deadlines *d, struct http_tracked *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	t->phase = HTTP_PHASE_IDLE;
	t->deadline = http_deadlines_now() + d->keepalive_timeout;
	/* While draining, an answered connection is closed at once
	 * (its answer said "Connection: close" too). */
	if (d->draining) {
		shutdown(t->fd, SHUT_RDWR);
		t->cut = true;
	}
	pthread_mutex_unlock(&d->lock);
}

/* Forget a connection. */
void
http_deadlines_remove(struct http_deadlines *d, struct http_tracked *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->count--;
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		d->head = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&d->lock);
	free(t);
}

/* Start draining: close the idle connections now. */
void
http_deadlines_drain(struct http_deadlines *d)
{
	pthread_mutex_lock(&d->lock);
	d->draining = true;
	for (struct http_tracked *t = d->head; t != NULL; t = t->next) {
		if (t->phase == HTTP_PHASE_IDLE && !t->cut) {
			shutdown(t->fd, SHUT_RDWR);
			t->cut = true;
		}
	}
	pthread_mutex_unlock(&d->lock);
}

/* How many connections are open. */
unsigned int
http_deadlines_count(struct http_deadlines *d)
{
	unsigned int n;

	pthread_mutex_lock(&d->lock);
	n = d->count;
	pthread_mutex_unlock(&d->lock);
	return n;
}
