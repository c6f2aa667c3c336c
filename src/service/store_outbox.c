/* The mail queue's delivery side: what is due, and what became of each
 * attempt.  A sent mail keeps its row (with its params cleared, since
 * they may hold a code or key) until the purge (store_purge.c) deletes
 * it; a failing one is retried for ever. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_content.h"
#include "store_int.h"
#include "xmalloc.h"

/* Release a mail's strings, wiping its params. */
void
store_outbox_clear(struct store_mail *m)
{
	free(m->kind);
	free(m->recipient);
	free(m->lang);
	if (m->params != NULL)
		free_secret(&m->params);
	free(m->last_error);
	memset(m, 0, sizeof *m);
}

/* Fill m from a row of the columns every query below selects. */
static void
store_outbox_row(struct db_stmt *row, struct store_mail *m, bool params)
{
	memset(m, 0, sizeof *m);
	m->id = db_int(row, 0);
	m->kind = db_strdup(row, 1);
	m->recipient = db_strdup(row, 2);
	m->lang = db_strdup(row, 3);
	m->created_at = db_int(row, 4);
	m->attempts = db_int(row, 5);
	m->next_attempt_at = db_int(row, 6);
	m->sent_at = db_null(row, 7) ? -1 : db_int(row, 7);
	if (!db_null(row, 8))
		m->last_error = db_strdup(row, 8);
	if (params)
		m->params = db_strdup(row, 9);
}

/* What one claim gathers; filled afresh by each run of store_tx. */
struct store_outbox_claim_tx {
	const char *claimant;
	long long now;
	long long lease_until;
	struct store_mail *out;
	int max;
	int n;
};

/* Take up to max due mails: each one's next attempt moves to the end of
 * the lease, so that no other worker (of this instance or another)
 * takes it meanwhile, and one that dies holding it leaves it due again
 * when the lease ends.  The outer WHERE repeats the inner one: a row
 * another worker took after the subquery read it is not taken again
 * (PostgreSQL re-checks it; SQLite has one writer at a time). */
static enum store_rc
store_outbox_claim_tx(struct db *db, void *arg)
{
	struct store_outbox_claim_tx *c = arg;
	struct db_stmt *row;
	enum store_rc rc;

	while (c->n > 0)
		store_outbox_clear(&c->out[--c->n]);
	/* PostgreSQL: rows other instances hold locked are skipped, not
	 * waited for (a row lock SQLite does not have, nor need); and the
	 * rows are picked in a CTE, evaluated once, since a LIMIT in an
	 * IN (...) subquery may be evaluated again and take more. */
	rc = db_query(db, &row, db_engine(db) == DB_POSTGRES ?
	    "WITH picked AS (SELECT id FROM mail_outbox"
	    " WHERE sent_at IS NULL AND next_attempt_at <= ?1"
	    " ORDER BY next_attempt_at, id LIMIT ?3 FOR UPDATE SKIP LOCKED)"
	    " UPDATE mail_outbox SET next_attempt_at = ?2, claimed_by = ?4"
	    " FROM picked"
	    " WHERE mail_outbox.id = picked.id"
	    " RETURNING mail_outbox.id, kind, recipient, lang, created_at,"
	    " attempts, next_attempt_at, sent_at, last_error, params" :
	    "UPDATE mail_outbox SET next_attempt_at = ?2, claimed_by = ?4"
	    " WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL"
	    " AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id"
	    " LIMIT ?3)"
	    " AND sent_at IS NULL AND next_attempt_at <= ?1"
	    " RETURNING id, kind, recipient, lang, created_at, attempts,"
	    " next_attempt_at, sent_at, last_error, params",
	    "iiit", c->now, c->lease_until, (long long)c->max, c->claimant);
	if (rc != STORE_OK)
		return rc;
	/* Every row returned was claimed: one beyond max (which the LIMIT
	 * rules out) would be lost to the lease, so it is an error that
	 * undoes the whole claim. */
	while ((rc = db_next(row)) == STORE_OK) {
		if (c->n == c->max) {
			rc = STORE_ERROR;
			break;
		}
		store_outbox_row(row, &c->out[c->n++], true);
	}
	db_done(row);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* Oldest due first, as the queue's order. */
static int
store_outbox_order(const void *a, const void *b)
{
	const struct store_mail *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Claim up to max unsent mails due at now, until lease_until. */
enum store_rc
store_outbox_claim(struct store *st, const char *claimant, long long now,
    long long lease_until, struct store_mail *out, int max, int *n)
{
	struct store_outbox_claim_tx c;
	enum store_rc rc;

	c.claimant = claimant;
	c.now = now;
	c.lease_until = lease_until;
	c.out = out;
	c.max = max;
	c.n = 0;
	rc = store_tx(st, store_outbox_claim_tx, &c);
	if (rc != STORE_OK) {
		while (c.n > 0)
			store_outbox_clear(&out[--c.n]);
		*n = 0;
		return rc;
	}
	qsort(out, (size_t)c.n, sizeof *out, store_outbox_order);
	*n = c.n;
	return STORE_OK;
}

/* The result of an UPDATE of one mail row: STORE_NOT_FOUND when there
 * was no such row. */
static enum store_rc
store_outbox_found(enum store_rc rc, long long changes)
{
	return rc == STORE_OK && changes == 0 ? STORE_NOT_FOUND : rc;
}

/* Delivered: sent_at, and params cleared (they may hold a code). */
enum store_rc
store_outbox_sent(struct store *st, long long id, long long now)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "UPDATE mail_outbox SET sent_at = ?2,"
	    " params = '{}', last_error = NULL, claimed_by = NULL"
	    " WHERE id = ?1", "ii", id, now);
	return store_outbox_found(rc, changes);
}

/* Give back every claim of claimant's that is still held: it is this
 * instance, started again after it died holding them. */
enum store_rc
store_outbox_unclaim(struct store *st, const char *claimant, long long now,
    long long *count)
{
	return store_exec(st, count, "UPDATE mail_outbox SET"
	    " next_attempt_at = ?2, claimed_by = NULL WHERE claimed_by = ?1"
	    " AND sent_at IS NULL AND next_attempt_at > ?2", "ti", claimant,
	    now);
}

/* Give a claimed mail back unattempted (a stop): due again at once. */
enum store_rc
store_outbox_release(struct store *st, long long id, long long now)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "UPDATE mail_outbox SET"
	    " next_attempt_at = ?2, claimed_by = NULL"
	    " WHERE id = ?1 AND sent_at IS NULL", "ii", id, now);
	return store_outbox_found(rc, changes);
}

/* A failed attempt: count it, keep why, and when to try again. */
enum store_rc
store_outbox_failed(struct store *st, long long id, const char *error,
    long long next)
{
	long long changes;
	enum store_rc rc;

	/* The claim ends with its outcome: the backoff now rules, even
	 * across this instance's restart (store_outbox_unclaim). */
	rc = store_exec(st, &changes, "UPDATE mail_outbox SET"
	    " attempts = attempts + 1, next_attempt_at = ?2,"
	    " last_error = ?3, claimed_by = NULL WHERE id = ?1", "iit", id,
	    next, error);
	return store_outbox_found(rc, changes);
}

/* Every mail, oldest first, without params. */
enum store_rc
store_outbox_list(struct store *st,
    void (*fn)(void *ctx, const struct store_mail *), void *ctx)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT id, kind, recipient, lang,"
	    " created_at, attempts, next_attempt_at, sent_at, last_error"
	    " FROM mail_outbox ORDER BY id", NULL)) != STORE_OK)
		return rc;
	while ((rc = db_next(row)) == STORE_OK) {
		struct store_mail m;

		store_outbox_row(row, &m, false);
		fn(ctx, &m);
		store_outbox_clear(&m);
	}
	db_done(row);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}
