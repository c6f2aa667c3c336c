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

/* Up to max unsent mails due at now. */
enum store_rc
store_outbox_due(struct store *st, long long now, struct store_mail *out,
    int max, int *n)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	*n = 0;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	/* mail_outbox_due covers (sent_at, next_attempt_at). */
	if ((rc = db_query(db, &row, "SELECT id, kind, recipient, lang,"
	    " created_at, attempts, next_attempt_at, sent_at, last_error,"
	    " params FROM mail_outbox WHERE sent_at IS NULL"
	    " AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id"
	    " LIMIT ?2", "ii", now, (long long)max)) != STORE_OK)
		return rc;
	while (*n < max && (rc = db_next(row)) == STORE_OK)
		store_outbox_row(row, &out[(*n)++], true);
	db_done(row);
	if (rc == STORE_OK || rc == STORE_NOT_FOUND)
		return STORE_OK;
	while (*n > 0)
		store_outbox_clear(&out[--(*n)]);
	return rc;
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
	    " params = '{}', last_error = NULL WHERE id = ?1", "ii", id, now);
	return store_outbox_found(rc, changes);
}

/* A failed attempt: count it, keep why, and when to try again. */
enum store_rc
store_outbox_failed(struct store *st, long long id, const char *error,
    long long next)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "UPDATE mail_outbox SET"
	    " attempts = attempts + 1, next_attempt_at = ?2,"
	    " last_error = ?3 WHERE id = ?1", "iit", id, next, error);
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
