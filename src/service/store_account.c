/* Account flows in the store: mails, sessions, A1 reminders, P4 peek. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store_account_int.h"
#include "userkey.h"
#include "xmalloc.h"

/* Queue n mails inside the open transaction. */
enum store_rc
store_account_mails(sqlite3 *db, const struct store_mail *mails, size_t n,
    long long now)
{
	enum store_rc rc = STORE_OK;

	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		rc = store_mail_queue(db, mails[i].kind, mails[i].to,
		    mails[i].lang, mails[i].params != NULL ? mails[i].params :
		    "{}", now);
	return rc;
}

/* End a user's sessions (password change or reset: the old password's
 * sessions must not outlive it), all or all but keep. */
enum store_rc
store_account_end_sessions(sqlite3 *db, long long ref,
    const unsigned char *keep)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if ((rc = store_prepare(db, keep != NULL ?
	    "DELETE FROM sessions WHERE user_ref = ?1 AND token_hash != ?2" :
	    "DELETE FROM sessions WHERE user_ref = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, ref);
	if (keep != NULL)
		sqlite3_bind_blob(stmt, 2, keep, STORE_TOKEN_HASH_BYTES,
		    SQLITE_STATIC);
	return store_account_step(db, stmt);
}

/* Open a session and record the log-in, as store_session_create does,
 * inside the caller's transaction. */
enum store_rc
store_account_open_session(sqlite3 *db, long long ref,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if ((rc = store_prepare(db, "INSERT INTO sessions (token_hash, "
	    "user_ref, created_at, last_seen, expires_at, lang, prev_login) "
	    "VALUES (?1, ?2, ?3, ?3, ?4, ?5, "
	    "(SELECT last_login FROM users WHERE id = ?2))", &stmt)) !=
	    STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, ref);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_int64(stmt, 4, expires_at);
	sqlite3_bind_text(stmt, 5, lang, -1, SQLITE_STATIC);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, "UPDATE users SET last_login = ?2 "
	    "WHERE id = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, ref);
	sqlite3_bind_int64(stmt, 2, now);
	return store_account_step(db, stmt);
}

/* A1 (003 §2.4): mail the ID to each user with this address and name. */
enum store_rc
store_user_id_remind(struct store *st, const char *email,
    const char *name_latin, const char *lang, long long now)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	/* A write transaction even when nothing matches, so that both
	 * answers cost alike. */
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	/* The address in any case (userkey.h); the mail goes to it as
	 * the user registered it. */
	if ((rc = store_prepare(db, "SELECT user_id, name, email FROM users "
	    "WHERE email_key = ?1 AND name_latin = ?2", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_text(stmt, 1, userkey_of(email), -1, free);
	sqlite3_bind_text(stmt, 2, name_latin, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW && rc == STORE_OK) {
		cJSON *p = cJSON_CreateObject();
		char *params;

		cJSON_AddStringToObject(p, "name",
		    (const char *)sqlite3_column_text(stmt, 1));
		cJSON_AddStringToObject(p, "user_id",
		    (const char *)sqlite3_column_text(stmt, 0));
		params = cJSON_PrintUnformatted(p);
		cJSON_Delete(p);
		rc = params == NULL ? STORE_ERROR : store_mail_queue(db,
		    "user_id_reminder",
		    (const char *)sqlite3_column_text(stmt, 2), lang, params,
		    now);
		free(params);
	}
	if (rc == STORE_OK && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	if (rc != STORE_OK)
		goto fail;
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* P4: how long a session has left, without counting as activity. */
enum store_rc
store_session_peek(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long *expires_at)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	*expires_at = 0;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT expires_at FROM sessions WHERE "
	    "token_hash = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		*expires_at = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (step == SQLITE_DONE)
		return STORE_NOT_FOUND;
	if (step != SQLITE_ROW)
		return store_rc_of(db, step);
	if (*expires_at > now)
		return STORE_OK;
	/* 003 §2.6: over for good, as store_session_touch decides, even
	 * when the row cannot be deleted now (a full disk). */
	if (store_begin(db) != STORE_OK)
		return STORE_EXPIRED;
	if (store_prepare(db, "DELETE FROM sessions WHERE token_hash = ?1",
	    &stmt) != STORE_OK) {
		store_rollback(db);
		return STORE_EXPIRED;
	}
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	if (store_account_step(db, stmt) != STORE_OK ||
	    store_commit(db) != STORE_OK)
		store_rollback(db);
	return STORE_EXPIRED;
}
