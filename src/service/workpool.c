/* Worker threads with a bounded FIFO of jobs. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "workpool.h"
#include "xmalloc.h"

struct workpool_job {
	workpool_fn fn;
	void *arg;
	long long queued_at;
};

struct workpool {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct workpool_job *ring;
	unsigned int queue_max;
	unsigned int head;		/* next job to run */
	unsigned int count;		/* jobs queued, not yet started */
	unsigned int idle;		/* threads waiting for a job */
	bool stopping;
	unsigned int nthreads;
	pthread_t *threads;
};

/* Now on the monotonic clock, in nanoseconds. */
static long long
workpool_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A worker: take jobs in order until stopped and the queue is empty. */
static void *
workpool_main(void *arg)
{
	struct workpool *wp = arg;
	struct workpool_job job;

	pthread_mutex_lock(&wp->lock);
	for (;;) {
		while (wp->count == 0 && !wp->stopping) {
			wp->idle++;
			pthread_cond_wait(&wp->wake, &wp->lock);
			wp->idle--;
		}
		if (wp->count == 0)
			break;
		job = wp->ring[wp->head];
		wp->head = (wp->head + 1) % wp->queue_max;
		wp->count--;
		pthread_mutex_unlock(&wp->lock);
		job.fn(job.arg, workpool_now() - job.queued_at);
		pthread_mutex_lock(&wp->lock);
	}
	pthread_mutex_unlock(&wp->lock);
	return NULL;
}

/* Start the threads. */
struct workpool *
workpool_start(unsigned int threads, unsigned int queue_max)
{
	struct workpool *wp = xcalloc(1, sizeof *wp);
	sigset_t all, old;

	pthread_mutex_init(&wp->lock, NULL);
	pthread_cond_init(&wp->wake, NULL);
	wp->queue_max = queue_max > 0 ? queue_max : 1;
	wp->ring = xcalloc(wp->queue_max, sizeof *wp->ring);
	wp->threads = xcalloc(threads, sizeof *wp->threads);
	/* Workers take no signals: the main thread waits for them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned int i = 0; i < threads; i++) {
		if (pthread_create(&wp->threads[i], NULL, workpool_main,
		    wp) != 0) {
			log_warn("workpool: cannot start a thread");
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			workpool_stop(wp);
			return NULL;
		}
		wp->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return wp;
}

/* Queue a job if there is room. */
bool
workpool_submit(struct workpool *wp, workpool_fn fn, void *arg,
    bool only_if_idle)
{
	bool ok;

	pthread_mutex_lock(&wp->lock);
	ok = !wp->stopping && wp->count < wp->queue_max &&
	    (!only_if_idle || wp->idle > wp->count);
	if (ok) {
		struct workpool_job *job;

		job = &wp->ring[(wp->head + wp->count) % wp->queue_max];
		job->fn = fn;
		job->arg = arg;
		job->queued_at = workpool_now();
		wp->count++;
		pthread_cond_signal(&wp->wake);
	}
	pthread_mutex_unlock(&wp->lock);
	return ok;
}

/* Drain and stop. */
void
workpool_stop(struct workpool *wp)
{
	if (wp == NULL)
		return;
	pthread_mutex_lock(&wp->lock);
	wp->stopping = true;
	pthread_cond_broadcast(&wp->wake);
	pthread_mutex_unlock(&wp->lock);
	for (unsigned int i = 0; i < wp->nthreads; i++)
		pthread_join(wp->threads[i], NULL);
	pthread_cond_destroy(&wp->wake);
	pthread_mutex_destroy(&wp->lock);
	free(wp->threads);
	free(wp->ring);
	free(wp);
}

/* Jobs running (threads not waiting for one) and jobs queued. */
void
workpool_load(struct workpool *wp, unsigned int *running,
    unsigned int *queued)
{
	pthread_mutex_lock(&wp->lock);
	*running = wp->nthreads - wp->idle;
	*queued = wp->count;
	pthread_mutex_unlock(&wp->lock);
}
