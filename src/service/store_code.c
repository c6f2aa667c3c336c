/* One-time codes in the store (codes table, v2): issue, check, spend. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "onetime.h"
#include "store_account_int.h"
#include "xmalloc.h"

/* Release what a check owns. */
void
store_code_check_clear(struct store_code_check *c)
{
	free(c->new_email);
	free(c->lang);
	memset(c, 0, sizeof *c);
	/* Never leave a cleared check reading as a match. */
	c->result = STORE_CODE_EXPIRED;
}

/* Judge a code from its row.  SPEC R4: the tries before the last say how
 * many remain; the one that uses up max_attempts voids the code. */
void
store_code_judge(const char *typed, const void *seal, size_t seal_len,
    long long attempts, long long expires_at, bool spent, long max_attempts,
    long long now, struct store_code_check *out)
{
	out->remaining = 0;
	if (spent || expires_at <= now)
		out->result = STORE_CODE_EXPIRED;
	else if (attempts >= max_attempts)
		out->result = STORE_CODE_VOID;
	else if (typed != NULL && onetime_matches(typed, seal, seal_len))
		out->result = STORE_CODE_MATCH;
	else if (attempts + 1 >= max_attempts)
		out->result = STORE_CODE_VOID;
	else {
		out->result = STORE_CODE_WRONG;
		out->remaining = max_attempts - (long)(attempts + 1);
	}
}

/* Step to the end and finalize. */
enum store_rc
store_account_step(sqlite3 *db, sqlite3_stmt *stmt)
{
	int step = sqlite3_step(stmt);

	sqlite3_finalize(stmt);
	return step == SQLITE_DONE || step == SQLITE_ROW ? STORE_OK :
	    store_rc_of(db, step);
}

/* Spend a code that still matches and is live. */
enum store_rc
store_code_spend(sqlite3 *db, long long id, const char *typed,
    long long now)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	bool ok = false;

	if ((rc = store_prepare(db, "SELECT code_hash FROM codes WHERE "
	    "id = ?1 AND used_at IS NULL AND expires_at > ?2", &stmt)) !=
	    STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		ok = onetime_matches(typed, sqlite3_column_blob(stmt, 0),
		    (size_t)sqlite3_column_bytes(stmt, 0));
	sqlite3_finalize(stmt);
	if (!ok)
		return STORE_EXPIRED;
	if ((rc = store_prepare(db, "UPDATE codes SET used_at = ?2 WHERE "
	    "id = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	return store_account_step(db, stmt);
}

/* Issue a code, voiding earlier ones of the purpose, with its mail. */
enum store_rc
store_code_issue(struct store *st, const char *purpose, long long user_ref,
    const unsigned char *seal, size_t seal_len, const char *new_email,
    const char *lang, long long now, long long expires_at,
    const struct store_mail *mail)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	/* A newer request replaces an older key (docs/api.md A2); spent
	 * and expired rows of the user go too. */
	if ((rc = store_prepare(db, "DELETE FROM codes WHERE user_ref = ?1 "
	    "AND purpose = ?2", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, user_ref);
	sqlite3_bind_text(stmt, 2, purpose, -1, SQLITE_STATIC);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	if (user_ref > 0) {
		if ((rc = store_prepare(db, "INSERT INTO codes (purpose, "
		    "user_ref, code_hash, new_email, lang, created_at, "
		    "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		    &stmt)) != STORE_OK)
			goto fail;
		sqlite3_bind_text(stmt, 1, purpose, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, user_ref);
		sqlite3_bind_blob(stmt, 3, seal, (int)seal_len,
		    SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, new_email, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, lang, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, now);
		sqlite3_bind_int64(stmt, 7, expires_at);
		if ((rc = store_account_step(db, stmt)) != STORE_OK)
			goto fail;
		if (mail != NULL && (rc = store_account_mails(db, mail, 1,
		    now)) != STORE_OK)
			goto fail;
	}
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* Check a typed code against the user's live code, counting a miss. */
enum store_rc
store_code_check(struct store *st, const char *purpose, long long user_ref,
    const char *code, long max_attempts, long long now,
    struct store_code_check *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	long long id, attempts, expires_at;
	bool spent;
	int step;

	memset(out, 0, sizeof *out);
	out->result = STORE_CODE_EXPIRED;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, "SELECT id, code_hash, attempts, "
	    "expires_at, used_at IS NOT NULL, new_email, lang FROM codes "
	    "WHERE user_ref = ?1 AND purpose = ?2 ORDER BY id DESC LIMIT 1",
	    &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, user_ref);
	sqlite3_bind_text(stmt, 2, purpose, -1, SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE) {
			rc = store_rc_of(db, step);
			goto fail;
		}
		store_rollback(db);
		return STORE_OK;	/* none: expired */
	}
	id = sqlite3_column_int64(stmt, 0);
	attempts = sqlite3_column_int64(stmt, 2);
	expires_at = sqlite3_column_int64(stmt, 3);
	spent = sqlite3_column_int(stmt, 4) != 0;
	store_code_judge(code, sqlite3_column_blob(stmt, 1),
	    (size_t)sqlite3_column_bytes(stmt, 1), attempts, expires_at, spent,
	    max_attempts, now, out);
	if (out->result == STORE_CODE_MATCH) {
		out->id = id;
		if (sqlite3_column_type(stmt, 5) != SQLITE_NULL)
			out->new_email = store_column_text(stmt, 5);
		out->lang = store_column_text(stmt, 6);
	}
	sqlite3_finalize(stmt);
	if (out->result == STORE_CODE_WRONG ||
	    (out->result == STORE_CODE_VOID && attempts < max_attempts)) {
		if ((rc = store_prepare(db, "UPDATE codes SET attempts = "
		    "attempts + 1 WHERE id = ?1", &stmt)) != STORE_OK)
			goto fail;
		sqlite3_bind_int64(stmt, 1, id);
		if ((rc = store_account_step(db, stmt)) != STORE_OK)
			goto fail;
	}
	if ((rc = store_commit(db)) != STORE_OK)
		store_code_check_clear(out);
	return rc;

fail:
	store_rollback(db);
	store_code_check_clear(out);
	return rc;
}
