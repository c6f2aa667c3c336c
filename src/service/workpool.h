/* A fixed set of threads that run queued jobs, with a bounded queue.
 *
 * libmicrohttpd's event threads must never block: one of them serves
 * hundreds of connections.  Everything a request does that can take time
 * (SQLite with synchronous=FULL, argon2id) runs on a pool instead, and a
 * full queue is answered at once rather than waited for. */
#ifndef MADOGUCHID_WORKPOOL_H
#define MADOGUCHID_WORKPOOL_H

#include <stdbool.h>

/* A job: fn(arg) runs on one of the pool's threads.  queued_ns is how
 * long the job waited in the queue (CLOCK_MONOTONIC nanoseconds). */
typedef void (*workpool_fn)(void *arg, long long queued_ns);

struct workpool;

/* Start threads running jobs from a queue of at most queue_max jobs;
 * NULL if a thread cannot be started. */
struct workpool *workpool_start(unsigned int threads, unsigned int queue_max);
/* Queue a job.  false when the queue is full, or, with only_if_idle,
 * when no thread is free to start it at once; the job was not queued. */
bool workpool_submit(struct workpool *, workpool_fn fn, void *arg,
    bool only_if_idle);
/* Jobs running and jobs waiting in the queue at this moment. */
void workpool_load(struct workpool *, unsigned int *running,
    unsigned int *queued);
/* Run every job already queued, then stop the threads and free. */
void workpool_stop(struct workpool *);

#endif
