/* Sessions in the store: create at log-in, touch on activity, delete. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_account_int.h"
#include "xmalloc.h"


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

/* What a log-in writes. */
struct session_create {
	long long ref;
	const unsigned char *token_hash;
	long long now;
	long long expires_at;
	const char *lang;
};

static enum store_rc
store_session_create_tx(struct db *db, void *arg)
{
	const struct session_create *a = arg;
	enum store_rc rc;

	/* Long-expired sessions go in the purge (purge.c), not here: a
	 * sweep in every log-in cost a scan inside the write lock, and on
	 * PostgreSQL made every log-in conflict with every other. */
	if ((rc = store_account_open_session(db, a->ref, a->token_hash,
	    a->now, a->expires_at, a->lang)) != STORE_OK)
		return rc;
	return db_exec(db, NULL, "UPDATE users SET failed_logins = 0, "
	    "locked_until = 0 WHERE id = ?1", "i", a->ref);
}

/* A successful log-in: clear the failures, record the log-in time, keep
 * the previous one with the session, and create the session. */
enum store_rc
store_session_create(struct store *st, long long ref,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang)
{
	struct session_create a = { ref, token_hash, now, expires_at, lang };

	return store_tx(st, store_session_create_tx, &a);
}

/* Move a live session's idle deadline to expires_at, in its own
 * transaction; STORE_EXPIRED when it ended (or went) meanwhile. */
static enum store_rc
store_session_move(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "UPDATE sessions SET last_seen = ?2, "
	    "expires_at = ?3 WHERE token_hash = ?1 AND expires_at > ?2",
	    "bii", token_hash, (size_t)STORE_TOKEN_HASH_BYTES, now,
	    expires_at);
	return rc == STORE_OK && changes == 0 ? STORE_EXPIRED : rc;
}

/* Find a session; if live, move its idle deadline when it is more than
 * slack behind; if expired, delete it. */
enum store_rc
store_session_touch(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long idle_timeout, long slack, struct store_session *out,
    enum store_rc *touch)
{
	struct db_stmt *row;
	struct db *db;
	long long id;
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	*touch = STORE_OK;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	/* Read first, outside a write transaction: most requests need no
	 * write at all, and a read must work while writes fail (a full
	 * disk). */
	if ((rc = db_query(db, &row, "SELECT s.id, s.expires_at, "
	    "s.prev_login, s.lang, u.id, u.user_id, u.name, u.email, "
	    "u.updated_at FROM sessions s JOIN users u ON u.id = s.user_ref "
	    "WHERE s.token_hash = ?1", "b", token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES)) != STORE_OK)
		return rc;
	if ((rc = db_next(row)) != STORE_OK) {
		db_done(row);
		return rc;
	}
	id = db_int(row, 0);
	out->expires_at = db_int(row, 1);
	out->prev_login = db_null(row, 2) ? -1 : db_int(row, 2);
	out->lang = db_strdup(row, 3);
	out->user_ref = db_int(row, 4);
	out->user_id = db_strdup(row, 5);
	out->name = db_strdup(row, 6);
	out->email = db_strdup(row, 7);
	out->updated_at = db_int(row, 8);
	db_done(row);

	/* 003 §2.6: past the idle limit the session is over for good,
	 * even when its row cannot be deleted now (a log-in sweeps it). */
	if (out->expires_at <= now) {
		(void)store_exec(st, NULL, "DELETE FROM sessions WHERE id = ?1",
		    "i", id);
		store_session_clear(out);
		return STORE_EXPIRED;
	}

	/* Activity moves the deadline; a deadline less than slack behind
	 * is left alone, so that a burst of requests writes once. */
	if (out->expires_at >= now + idle_timeout - slack)
		return STORE_OK;
	*touch = store_session_move(st, token_hash, now, now + idle_timeout);
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
	enum store_rc rc;

	*expires_at = 0;
	if ((rc = store_session_move(st, token_hash, now,
	    now + idle_timeout)) == STORE_OK)
		*expires_at = now + idle_timeout;
	return rc;
}

/* Delete the session with this token hash (log-out). */
enum store_rc
store_session_delete(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES])
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "DELETE FROM sessions WHERE "
	    "token_hash = ?1", "b", token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES);
	return rc == STORE_OK && changes == 0 ? STORE_NOT_FOUND : rc;
}

/* The language of a session's later mails (the person switched). */
enum store_rc
store_session_set_lang(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], const char *lang)
{
	return store_exec(st, NULL, "UPDATE sessions SET lang = ?2 "
	    "WHERE token_hash = ?1", "bt", token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES, lang);
}
