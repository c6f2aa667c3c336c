/* The store's one way to write: a transaction, run again from the start
 * when the engine gives up on it.  PostgreSQL's SERIALIZABLE transactions
 * fail rather than interleave (two instances counting the same failed
 * log-in); SQLite's single writer never does, so there the loop runs
 * once. */
#include "config.h"

#include <stdarg.h>
#include <time.h>

#include <sodium.h>

#include "log.h"
#include "store_int.h"

/* Runs of one transaction before the store answers busy.  PostgreSQL's
 * serializable transactions conflict more than their rows do: its
 * predicate locks cover index pages, which on a small table hold every
 * key, so a crowd of registrations (each reading whether its address is
 * taken, each adding one) collide even on different addresses.  Thirty
 * runs, with the pauses below, is at most about two seconds; what is
 * left is better answered 503 than waited for. */
#define STORE_TX_ATTEMPTS 30

/* Begin run number attempt (from 0), after a random pause from the
 * second on: up to 2, 4, ... 128 ms, so that the transactions that
 * collided do not meet again in step. */
static enum store_rc
store_tx_begin(struct db *db, int attempt)
{
	if (attempt > 0) {
		long ms = 1 + (long)randombytes_uniform(
		    2U << (attempt < 7 ? attempt - 1 : 6));
		struct timespec ts = { 0, ms * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	return db_begin(db);
}

/* End a run whose work answered rc: commit or roll back.  The result is
 * the transaction's. */
static enum store_rc
store_tx_end(struct db *db, enum store_rc rc)
{
	if (rc == STORE_OK)
		return db_commit(db);	/* rolls back if it fails */
	db_rollback(db);
	return rc;
}

/* After run attempt answered rc: run again? */
static bool
store_tx_again(enum store_rc rc, int attempt)
{
	if (rc != STORE_RETRY)
		return false;
	if (attempt + 1 < STORE_TX_ATTEMPTS)
		return true;
	log_warn("database: a transaction conflicted with others %d times "
	    "in a row; answering busy", STORE_TX_ATTEMPTS);
	return false;
}

/* Run fn in a transaction, again while the engine asks for it. */
enum store_rc
store_tx(struct store *st, enum store_rc (*fn)(struct db *, void *arg),
    void *arg)
{
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	for (int attempt = 0;; attempt++) {
		if ((rc = store_tx_begin(db, attempt)) == STORE_OK)
			rc = store_tx_end(db, fn(db, arg));
		if (!store_tx_again(rc, attempt))
			break;
	}
	return rc == STORE_RETRY ? STORE_BUSY : rc;
}

/* One statement in its own transaction. */
enum store_rc
store_exec(struct store *st, long long *changes, const char *sql,
    const char *fmt, ...)
{
	struct db *db;
	enum store_rc rc;
	va_list ap;

	if (changes != NULL)
		*changes = 0;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	for (int attempt = 0;; attempt++) {
		if ((rc = store_tx_begin(db, attempt)) == STORE_OK) {
			va_start(ap, fmt);
			rc = db_vexec(db, changes, sql, fmt, ap);
			va_end(ap);
			rc = store_tx_end(db, rc);
		}
		if (!store_tx_again(rc, attempt))
			break;
	}
	if (rc != STORE_OK && changes != NULL)
		*changes = 0;
	return rc == STORE_RETRY ? STORE_BUSY : rc;
}
