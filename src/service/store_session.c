/* Sessions in the store: create at log-in, touch on activity, delete. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "xmalloc.h"

/* Expired sessions are kept this long so that their tokens still answer
 * session_expired rather than unauthorized, then swept at a log-in. */
#define SESSION_KEEP_EXPIRED (7 * 86400)

/* Release a session's strings. */
void
store_session_clear(struct store_session *s)
{
	free(s->user_id);
	free(s->name);
	free(s->email);
	free(s->lang);
	memset(s, 0, sizeof *s);
}

/* Step a prepared statement that returns no row and finalize it. */
static enum store_rc
store_session_step(sqlite3 *db, sqlite3_stmt *stmt)
{
	enum store_rc rc = store_rc_of(db, sqlite3_step(stmt));

	sqlite3_finalize(stmt);
	return rc;
}

/* A successful log-in: clear the failures, record the log-in time, keep
 * the previous one with the session, and create the session. */
enum store_rc
store_session_create(struct store *st, long long ref,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;

	if ((rc = store_prepare(db, "DELETE FROM sessions WHERE "
	    "expires_at <= ?1", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, now - SESSION_KEEP_EXPIRED);
	if ((rc = store_session_step(db, stmt)) != STORE_OK)
		goto fail;

	/* The subquery reads last_login before the UPDATE below sets it. */
	if ((rc = store_prepare(db, "INSERT INTO sessions (token_hash, "
	    "user_ref, created_at, last_seen, expires_at, lang, prev_login) "
	    "VALUES (?1, ?2, ?3, ?3, ?4, ?5, "
	    "(SELECT last_login FROM users WHERE id = ?2))", &stmt)) !=
	    STORE_OK)
		goto fail;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, ref);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_int64(stmt, 4, expires_at);
	sqlite3_bind_text(stmt, 5, lang, -1, SQLITE_STATIC);
	if ((rc = store_session_step(db, stmt)) != STORE_OK)
		goto fail;

	if ((rc = store_prepare(db, "UPDATE users SET failed_logins = 0, "
	    "locked_until = 0, last_login = ?2 WHERE id = ?1", &stmt)) !=
	    STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, ref);
	sqlite3_bind_int64(stmt, 2, now);
	if ((rc = store_session_step(db, stmt)) != STORE_OK)
		goto fail;
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* Delete one session by row id, inside the caller's transaction. */
static enum store_rc
store_session_delete_id(sqlite3 *db, long long id)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if ((rc = store_prepare(db, "DELETE FROM sessions WHERE id = ?1",
	    &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	return store_session_step(db, stmt);
}

/* Move a live session's idle deadline to expires_at, in its own
 * transaction; STORE_EXPIRED when it ended (or went) meanwhile. */
static enum store_rc
store_session_move(sqlite3 *db,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, "UPDATE sessions SET last_seen = ?2, "
	    "expires_at = ?3 WHERE token_hash = ?1 AND expires_at > ?2",
	    &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, expires_at);
	if ((rc = store_session_step(db, stmt)) != STORE_OK)
		goto fail;
	if (sqlite3_changes(db) == 0) {
		store_rollback(db);
		return STORE_EXPIRED;
	}
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* Find a session; if live, move its idle deadline when it is more than
 * slack behind; if expired, delete it. */
enum store_rc
store_session_touch(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long idle_timeout, long slack, struct store_session *out,
    enum store_rc *touch)
{
	static const char sql[] = "SELECT s.id, s.expires_at, s.prev_login, "
	    "s.lang, u.id, u.user_id, u.name, u.email, u.updated_at "
	    "FROM sessions s JOIN users u ON u.id = s.user_ref "
	    "WHERE s.token_hash = ?1";
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	long long id;
	enum store_rc rc;
	int step;

	memset(out, 0, sizeof *out);
	*touch = STORE_OK;
	if (db == NULL)
		return STORE_ERROR;
	/* Read first, without the write lock: most requests need no
	 * write at all, and a read must work while writes fail (a full
	 * disk). */
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? STORE_NOT_FOUND :
		    store_rc_of(db, step);
		sqlite3_finalize(stmt);
		return rc;
	}
	id = sqlite3_column_int64(stmt, 0);
	out->expires_at = sqlite3_column_int64(stmt, 1);
	out->prev_login = sqlite3_column_type(stmt, 2) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(stmt, 2);
	out->lang = store_column_text(stmt, 3);
	out->user_ref = sqlite3_column_int64(stmt, 4);
	out->user_id = store_column_text(stmt, 5);
	out->name = store_column_text(stmt, 6);
	out->email = store_column_text(stmt, 7);
	out->updated_at = sqlite3_column_int64(stmt, 8);
	sqlite3_finalize(stmt);

	/* 003 §2.6: past the idle limit the session is over for good,
	 * even when its row cannot be deleted now (a log-in sweeps it). */
	if (out->expires_at <= now) {
		if ((rc = store_begin(db)) == STORE_OK) {
			if (store_session_delete_id(db, id) == STORE_OK)
				store_commit(db);
			else
				store_rollback(db);
		}
		store_session_clear(out);
		return STORE_EXPIRED;
	}

	/* Activity moves the deadline; a deadline less than slack behind
	 * is left alone, so that a burst of requests writes once. */
	if (out->expires_at >= now + idle_timeout - slack)
		return STORE_OK;
	*touch = store_session_move(db, token_hash, now, now + idle_timeout);
	if (*touch == STORE_OK)
		out->expires_at = now + idle_timeout;
	else if (*touch == STORE_EXPIRED) {
		/* Ended or logged out between the read and the write. */
		store_session_clear(out);
		*touch = STORE_OK;
		return STORE_NOT_FOUND;
	}
	return STORE_OK;
}

/* P4 extend: move the deadline to now + idle_timeout, whatever it is. */
enum store_rc
store_session_extend(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long idle_timeout, long long *expires_at)
{
	sqlite3 *db = store_db(st);
	enum store_rc rc;

	*expires_at = 0;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_session_move(db, token_hash, now,
	    now + idle_timeout)) == STORE_OK)
		*expires_at = now + idle_timeout;
	return rc;
}

/* Delete the session with this token hash (log-out). */
enum store_rc
store_session_delete(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES])
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, "DELETE FROM sessions WHERE "
	    "token_hash = ?1", &stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	if ((rc = store_session_step(db, stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	if (sqlite3_changes(db) == 0) {
		store_rollback(db);
		return STORE_NOT_FOUND;
	}
	return store_commit(db);
}

/* The language of a session's later mails (the person switched). */
enum store_rc
store_session_set_lang(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], const char *lang)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, "UPDATE sessions SET lang = ?2 "
	    "WHERE token_hash = ?1", &stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, lang, -1, SQLITE_STATIC);
	if ((rc = store_session_step(db, stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	return store_commit(db);
}
