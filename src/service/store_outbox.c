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
store_outbox_row(sqlite3_stmt *stmt, struct store_mail *m, bool params)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(stmt, 0);
	m->kind = store_column_text(stmt, 1);
	m->recipient = store_column_text(stmt, 2);
	m->lang = store_column_text(stmt, 3);
	m->created_at = sqlite3_column_int64(stmt, 4);
	m->attempts = sqlite3_column_int64(stmt, 5);
	m->next_attempt_at = sqlite3_column_int64(stmt, 6);
	m->sent_at = sqlite3_column_type(stmt, 7) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(stmt, 7);
	if (sqlite3_column_type(stmt, 8) != SQLITE_NULL)
		m->last_error = store_column_text(stmt, 8);
	if (params)
		m->params = store_column_text(stmt, 9);
}

/* Up to max unsent mails due at now. */
enum store_rc
store_outbox_due(struct store *st, long long now, struct store_mail *out,
    int max, int *n)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step = SQLITE_DONE;

	*n = 0;
	if (db == NULL)
		return STORE_ERROR;
	/* mail_outbox_due covers (sent_at, next_attempt_at). */
	if ((rc = store_prepare(db, "SELECT id, kind, recipient, lang,"
	    " created_at, attempts, next_attempt_at, sent_at, last_error,"
	    " params FROM mail_outbox WHERE sent_at IS NULL"
	    " AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id"
	    " LIMIT ?2", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, max);
	while (*n < max && (step = sqlite3_step(stmt)) == SQLITE_ROW)
		store_outbox_row(stmt, &out[(*n)++], true);
	if (*n < max && step != SQLITE_DONE) {
		rc = store_rc_of(db, step);
		while (*n > 0)
			store_outbox_clear(&out[--(*n)]);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Run one UPDATE of a mail row in its own transaction. */
static enum store_rc
store_outbox_update(struct store *st, const char *sql, long long id,
    long long value, const char *text)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, value);
	if (text != NULL)
		sqlite3_bind_text(stmt, 3, text, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		rc = store_rc_of(db, step);
		store_rollback(db);
		return rc;
	}
	if (sqlite3_changes(db) == 0) {
		store_rollback(db);
		return STORE_NOT_FOUND;
	}
	return store_commit(db);
}

/* Delivered: sent_at, and params cleared (they may hold a code). */
enum store_rc
store_outbox_sent(struct store *st, long long id, long long now)
{
	return store_outbox_update(st, "UPDATE mail_outbox SET sent_at = ?2,"
	    " params = '{}', last_error = NULL WHERE id = ?1", id, now, NULL);
}

/* A failed attempt: count it, keep why, and when to try again. */
enum store_rc
store_outbox_failed(struct store *st, long long id, const char *error,
    long long next)
{
	return store_outbox_update(st, "UPDATE mail_outbox SET"
	    " attempts = attempts + 1, next_attempt_at = ?2,"
	    " last_error = ?3 WHERE id = ?1", id, next, error);
}

/* Every mail, oldest first, without params. */
enum store_rc
store_outbox_list(struct store *st,
    void (*fn)(void *ctx, const struct store_mail *), void *ctx)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT id, kind, recipient, lang,"
	    " created_at, attempts, next_attempt_at, sent_at, last_error"
	    " FROM mail_outbox ORDER BY id", &stmt)) != STORE_OK)
		return rc;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_mail m;

		store_outbox_row(stmt, &m, false);
		fn(ctx, &m);
		store_outbox_clear(&m);
	}
	rc = step == SQLITE_DONE ? STORE_OK : store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}
