/* Users in the store: add, find, list, unlock, count failed log-ins. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "xmalloc.h"

#define USER_COLUMNS \
	"id, user_id, name, email, password_hash, lang, " \
	"password_changed_at, failed_logins, locked_until, last_login, " \
	"created_at, updated_at"

/* Release a user row's strings, wiping the password hash. */
void
store_user_clear(struct store_user *u)
{
	free(u->user_id);
	free(u->name);
	free(u->email);
	free_secret(&u->password_hash);
	free(u->lang);
	memset(u, 0, sizeof *u);
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
}

/* Add a user. */
enum store_rc
store_user_add(struct store *st, const struct store_user *u)
{
	static const char sql[] = "INSERT INTO users (user_id, name, email, "
	    "password_hash, password_changed_at, created_at, updated_at, lang)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)";
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
	rc = store_rc_of(db, sqlite3_step(stmt));
	sqlite3_finalize(stmt);
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	return store_commit(db);
}

/* Look a user up by user ID. */
enum store_rc
store_user_find(struct store *st, const char *user_id,
    struct store_user *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS
	    " FROM users WHERE user_id = ?1";
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
	return store_user_update(st, "UPDATE users SET failed_logins = 0, "
	    "locked_until = 0, updated_at = ?2 WHERE user_id = ?1", user_id,
	    0, now);
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
