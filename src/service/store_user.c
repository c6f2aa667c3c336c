/* Users in the store: add, find, list, unlock, count failed log-ins;
 * password, address and detail changes (store_account.h).  Users are
 * found by the case-insensitive key of their ID (userkey.h, v4). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_account_int.h"
#include "userkey.h"
#include "xmalloc.h"

#define USER_COLUMNS \
	"id, user_id, name, email, password_hash, lang, " \
	"password_changed_at, failed_logins, locked_until, last_login, " \
	"created_at, updated_at, kind, details, name_latin, notify_email, " \
	"bulk_user_id, bulk_password_hash"

/* Release a user row's strings, wiping the password hash. */
void
store_user_clear(struct store_user *u)
{
	free(u->user_id);
	free(u->name);
	free(u->email);
	free_secret(&u->password_hash);
	free(u->lang);
	free(u->kind);
	free(u->details);
	free(u->name_latin);
	free(u->notify_email);
	free(u->bulk_user_id);
	if (u->bulk_password_hash != NULL)
		free_secret(&u->bulk_password_hash);
	memset(u, 0, sizeof *u);
}

/* A copy of a text column that may be NULL. */
static char *
store_column_opt(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL ? NULL :
	    store_column_text(stmt, col);
}

/* Fill a user from a row selected with USER_COLUMNS. */
static void
store_user_from_row(sqlite3_stmt *stmt, struct store_user *u)
{
	u->ref = sqlite3_column_int64(stmt, 0);
	u->user_id = store_column_text(stmt, 1);
	u->name = store_column_text(stmt, 2);
	u->email = store_column_text(stmt, 3);
	u->password_hash = store_column_text(stmt, 4);
	u->lang = store_column_text(stmt, 5);
	u->password_changed_at = sqlite3_column_int64(stmt, 6);
	u->failed_logins = sqlite3_column_int64(stmt, 7);
	u->locked_until = sqlite3_column_int64(stmt, 8);
	u->last_login = sqlite3_column_type(stmt, 9) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(stmt, 9);
	u->created_at = sqlite3_column_int64(stmt, 10);
	u->updated_at = sqlite3_column_int64(stmt, 11);
	u->kind = store_column_text(stmt, 12);
	u->details = store_column_text(stmt, 13);
	u->name_latin = store_column_opt(stmt, 14);
	u->notify_email = store_column_opt(stmt, 15);
	u->bulk_user_id = store_column_opt(stmt, 16);
	u->bulk_password_hash = store_column_opt(stmt, 17);
}

/* Bind kind, details, name_latin, notify_email, bulk_user_id and
 * bulk_password_hash from parameter first on (NULL stays NULL). */
void
store_user_bind_extras(sqlite3_stmt *stmt, int first,
    const struct store_user *u)
{
	sqlite3_bind_text(stmt, first, u->kind != NULL ? u->kind : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, first + 1, u->details != NULL ? u->details :
	    "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, first + 2, u->name_latin, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, first + 3, u->notify_email, -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, first + 4, u->bulk_user_id, -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, first + 5, u->bulk_password_hash, -1,
	    SQLITE_STATIC);
}

/* Bind the keys of u's user ID and address (v4) at first and
 * first + 1. */
void
store_user_bind_keys(sqlite3_stmt *stmt, int first,
    const struct store_user *u)
{
	sqlite3_bind_text(stmt, first, userkey_of(u->user_id), -1, free);
	sqlite3_bind_text(stmt, first + 1, userkey_of(u->email), -1, free);
}

/* Add a user. */
enum store_rc
store_user_add(struct store *st, const struct store_user *u)
{
	static const char sql[] = "INSERT INTO users (user_id, name, email, "
	    "password_hash, password_changed_at, created_at, updated_at, lang,"
	    " kind, details, name_latin, notify_email, bulk_user_id,"
	    " bulk_password_hash, user_key, email_key)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13, ?14, ?15)";
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	sqlite3_bind_text(stmt, 1, u->user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, u->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, u->password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, u->password_changed_at);
	sqlite3_bind_int64(stmt, 6, u->created_at);
	sqlite3_bind_text(stmt, 7, u->lang != NULL ? u->lang : "ja", -1,
	    SQLITE_STATIC);
	store_user_bind_extras(stmt, 8, u);
	store_user_bind_keys(stmt, 14, u);
	rc = store_rc_of(db, sqlite3_step(stmt));
	sqlite3_finalize(stmt);
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	return store_commit(db);
}

/* The user a typed ID means, with ?1 the ID as typed and ?2 its key:
 * the row of exactly that spelling first (one that v4 left without a
 * key is found only so), else the row with that key. */
#define USER_BY_ID "(user_id = ?1 OR user_key = ?2) " \
	"ORDER BY CASE WHEN user_id = ?1 THEN 0 ELSE 1 END LIMIT 1"

/* Look a user up by user ID, whatever its case. */
enum store_rc
store_user_find(struct store *st, const char *user_id,
    struct store_user *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS
	    " FROM users WHERE " USER_BY_ID;
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	memset(out, 0, sizeof *out);
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, userkey_of(user_id), -1, free);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		store_user_from_row(stmt, out);
		rc = STORE_OK;
	} else if (step == SQLITE_DONE)
		rc = STORE_NOT_FOUND;
	else
		rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* Run one bound UPDATE in its own transaction; STORE_NOT_FOUND when it
 * touched no row.  Binds: ?1 text or int64 key, then up to two ints. */
static enum store_rc
store_user_update(struct store *st, const char *sql, const char *text_key,
    long long int_key, long long a)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	if (text_key != NULL)
		sqlite3_bind_text(stmt, 1, text_key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, int_key);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int64(stmt, 2, a);
	rc = store_rc_of(db, sqlite3_step(stmt));
	sqlite3_finalize(stmt);
	if (rc == STORE_OK && sqlite3_changes(db) == 0)
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	return store_commit(db);
}

/* Lift a lockout and clear the failure count. */
enum store_rc
store_user_unlock(struct store *st, const char *user_id, long long now)
{
	struct store_user u;
	enum store_rc rc;

	if ((rc = store_user_find(st, user_id, &u)) != STORE_OK)
		return rc;
	rc = store_user_update(st, "UPDATE users SET failed_logins = 0, "
	    "locked_until = 0, updated_at = ?2 WHERE id = ?1", NULL, u.ref,
	    now);
	store_user_clear(&u);
	return rc;
}

/* Delete the user of exactly this ID, with its sessions, codes and
 * receipts (ON DELETE CASCADE). */
enum store_rc
store_user_delete(struct store *st, const char *user_id)
{
	enum store_rc rc;

	rc = store_user_update(st, "DELETE FROM users WHERE user_id = ?1",
	    user_id, 0, 0);
	/* The row it collided with (v4) may take the key now; if that
	 * fails, the next open gives it. */
	if (rc == STORE_OK)
		(void)store_user_rekey(store_db(st));
	return rc;
}

/* A correct password that cannot log in: clear the failure count. */
enum store_rc
store_login_reset(struct store *st, long long ref)
{
	return store_user_update(st, "UPDATE users SET failed_logins = 0 "
	    "WHERE id = ?1", NULL, ref, 0);
}

/* Run one statement binding ?1 = a and, if present, ?2 = b; when it
 * yields a row, *col0 is its first column. */
static enum store_rc
store_user_exec(sqlite3 *db, const char *sql, long long a, long long b,
    long long *col0)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int64(stmt, 2, b);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW && col0 != NULL)
		*col0 = sqlite3_column_int64(stmt, 0);
	rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* Count a failed log-in and lock at the limit (003 §2.2: 5 failures in
 * a row lock the account for 24 hours). */
enum store_rc
store_login_failed(struct store *st, long long ref, long long now,
    long max_failures, long duration, long long *locked_until)
{
	sqlite3 *db = store_db(st);
	long long failures = -1;
	enum store_rc rc;

	*locked_until = 0;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	/* Count and read back in the same transaction (no RETURNING: the
	 * build accepts SQLite 3.34). */
	rc = store_user_exec(db, "UPDATE users SET failed_logins = "
	    "failed_logins + 1 WHERE id = ?1", ref, 0, NULL);
	if (rc == STORE_OK)
		rc = store_user_exec(db, "SELECT failed_logins FROM users "
		    "WHERE id = ?1", ref, 0, &failures);
	if (rc == STORE_OK && failures < 0)
		rc = STORE_NOT_FOUND;
	if (rc == STORE_OK && failures >= max_failures)
		rc = store_user_exec(db, "UPDATE users SET failed_logins = 0, "
		    "locked_until = ?2 WHERE id = ?1", ref, now + duration,
		    NULL);
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	if ((rc = store_commit(db)) == STORE_OK && failures >= max_failures)
		*locked_until = now + duration;
	return rc;
}

/* Call fn for each user, in user ID order. */
enum store_rc
store_user_list(struct store *st,
    void (*fn)(void *ctx, const struct store_user *), void *ctx)
{
	static const char sql[] = "SELECT " USER_COLUMNS
	    " FROM users ORDER BY user_id";
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_user u;

		store_user_from_row(stmt, &u);
		fn(ctx, &u);
		store_user_clear(&u);
	}
	rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* Look a user up by one bound key: ?1 text (key) or int64 (ref). */
static enum store_rc
store_user_find_by(struct store *st, const char *sql, const char *key,
    long long ref, struct store_user *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	memset(out, 0, sizeof *out);
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	if (key != NULL)
		sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, ref);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		store_user_from_row(stmt, out);
		rc = STORE_OK;
	} else
		rc = step == SQLITE_DONE ? STORE_NOT_FOUND :
		    store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* A user by row (the session's user_ref). */
enum store_rc
store_user_get(struct store *st, long long ref, struct store_user *out)
{
	return store_user_find_by(st, "SELECT " USER_COLUMNS " FROM users "
	    "WHERE id = ?1", NULL, ref, out);
}

/* An oss user by bulk-user ID (002 §4). */
enum store_rc
store_user_find_bulk(struct store *st, const char *bulk_user_id,
    struct store_user *out)
{
	return store_user_find_by(st, "SELECT " USER_COLUMNS " FROM users "
	    "WHERE bulk_user_id = ?1", bulk_user_id, 0, out);
}

/* Set a password, end sessions, spend the code, queue the mail. */
enum store_rc
store_password_change(struct store *st,
    const struct store_password_change *pc)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if (pc->code_id > 0 && (rc = store_code_spend(db, pc->code_id,
	    pc->code, pc->now)) != STORE_OK)
		goto fail;
	/* 003 §2.2: a new password lifts the lockout; 002 §2: the 60 days
	 * of the payment password start again. */
	if ((rc = store_prepare(db, pc->bulk ?
	    "UPDATE users SET bulk_password_hash = ?2, updated_at = ?3 "
	    "WHERE id = ?1" :
	    "UPDATE users SET password_hash = ?2, password_changed_at = ?3, "
	    "updated_at = ?3, failed_logins = 0, locked_until = 0 "
	    "WHERE id = ?1", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, pc->user_ref);
	sqlite3_bind_text(stmt, 2, pc->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, pc->now);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	if (sqlite3_changes(db) == 0) {
		rc = STORE_NOT_FOUND;
		goto fail;
	}
	if (!pc->bulk && (rc = store_account_end_sessions(db, pc->user_ref,
	    pc->keep_session)) != STORE_OK)
		goto fail;
	if (pc->mail != NULL && (rc = store_account_mails(db, pc->mail, 1,
	    pc->now)) != STORE_OK)
		goto fail;
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* M3: a verified new address (and, in lgpos, the user ID with it). */
enum store_rc
store_email_change(struct store *st, long long ref, long long code_id,
    const char *code, const char *new_email, bool address_is_user_id,
    long long now, const struct store_mail *mails, size_t nmails)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_code_spend(db, code_id, code, now)) != STORE_OK)
		goto fail;
	if ((rc = store_prepare(db, address_is_user_id ?
	    "UPDATE users SET email = ?2, user_id = ?2, email_key = ?4, "
	    "user_key = ?4, updated_at = ?3 WHERE id = ?1" :
	    "UPDATE users SET email = ?2, email_key = ?4, updated_at = ?3 "
	    "WHERE id = ?1", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, ref);
	sqlite3_bind_text(stmt, 2, new_email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_text(stmt, 4, userkey_of(new_email), -1, free);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	if ((rc = store_account_mails(db, mails, nmails, now)) != STORE_OK)
		goto fail;
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* M2, M5: new details and the columns that go with them. */
enum store_rc
store_details_change(struct store *st, const struct store_details_change *dc,
    const struct store_mail *mail)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	/* COALESCE keeps a column given as NULL; notify_email "" clears
	 * it (002 §3: the notification address is optional). */
	if ((rc = store_prepare(db, "UPDATE users SET "
	    "name = COALESCE(?2, name), kind = COALESCE(?3, kind), "
	    "email = COALESCE(?4, email), "
	    "email_key = COALESCE(?8, email_key), "
	    "notify_email = CASE WHEN ?5 IS NULL THEN notify_email "
	    "WHEN ?5 = '' THEN NULL ELSE ?5 END, "
	    "details = COALESCE(?6, details), updated_at = ?7 WHERE id = ?1",
	    &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, dc->ref);
	sqlite3_bind_text(stmt, 2, dc->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, dc->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, dc->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, dc->notify_email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, dc->details, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, dc->now);
	if (dc->email != NULL)
		sqlite3_bind_text(stmt, 8, userkey_of(dc->email), -1, free);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	if (mail != NULL && (rc = store_account_mails(db, mail, 1,
	    dc->now)) != STORE_OK)
		goto fail;
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}
