/* The purge thread: a pass whenever purge_interval has gone by on the
 * service clock, looked at once a second so that a test clock that
 * jumps is followed at once. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "log.h"
#include "purge.h"
#include "store_purge.h"
#include "xmalloc.h"

/* Seconds an expired session is kept (see purge_pass). */
#define PURGE_SESSIONS_KEPT (7 * 86400)

struct purge {
	const struct settings *cfg;
	struct store *store;
	atomic_bool stop;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

/* One pass at now; the next is due purge_interval later. */
static void
purge_pass(struct purge *p, long long now)
{
	const struct purge_rules *rules = &p->cfg->purge;
	struct store_purge_before before;
	struct store_purge_counts n;
	enum store_rc rc;

	before.registrations = now - rules->registrations_after;
	before.codes = now - rules->codes_after;
	before.sent_mail = now - rules->sent_mail_after;
	before.rate_limits = now;
	/* An expired session's token answers session_expired rather than
	 * unauthorized for a week (the person learns why), then goes. */
	before.sessions = now - PURGE_SESSIONS_KEPT;
	rc = store_purge(p->store, &before, &n);
	if (rc != STORE_OK)
		log_warn("purge: stopped (%d); the rest waits for the next "
		    "pass", (int)rc);
	if (n.registrations + n.codes + n.sent_mail + n.rate_limits +
	    n.sessions > 0)
		log_info("purge: %lld pre-registration(s), %lld code(s), "
		    "%lld sent mail(s), %lld rate-limit counter(s), %lld "
		    "expired session(s)", n.registrations, n.codes,
		    n.sent_mail, n.rate_limits, n.sessions);
}

/* Wait up to a second, or until purge_stop. */
static void
purge_nap(struct purge *p)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&p->lock);
	while (!atomic_load(&p->stop) &&
	    pthread_cond_timedwait(&p->wake, &p->lock, &until) == 0)
		;
	pthread_mutex_unlock(&p->lock);
}

/* The thread. */
static void *
purge_run(void *arg)
{
	struct purge *p = arg;
	long long due = 0;

	while (!atomic_load(&p->stop)) {
		long long now = clock_now(p->cfg->test_clock_file);

		if (now >= due) {
			purge_pass(p, now);
			due = now + p->cfg->purge.interval;
		}
		purge_nap(p);
	}
	/* The thread's database connection closes as it exits. */
	return NULL;
}

/* Free what purge_start made. */
static void
purge_free(struct purge *p)
{
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Start the thread. */
struct purge *
purge_start(const struct settings *cfg, struct store *store, char **error)
{
	struct purge *p = xcalloc(1, sizeof *p);
	pthread_condattr_t attr;

	p->cfg = cfg;
	p->store = store;
	atomic_init(&p->stop, false);
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&p->thread, NULL, purge_run, p) != 0) {
		xasprintf(error, "cannot start the purge thread");
		purge_free(p);
		return NULL;
	}
	return p;
}

/* Stop the thread and free. */
void
purge_stop(struct purge *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stop, true);
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	purge_free(p);
}
