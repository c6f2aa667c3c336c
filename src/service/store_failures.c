/* Failed log-ins for unknown user IDs (login_failures, v4). */
#include "config.h"

#include "store_failures.h"
#include "store_int.h"

/* Run one statement binding ?1 = the hash (unused if the SQL names
 * only ?2) and, if present, ?2 = a;
 * when it yields a row, *col0 is its first column. */
static enum store_rc
store_failures_exec(sqlite3 *db, const char *sql,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long a,
    long long *col0)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, id_hash, USERKEY_HASH_BYTES, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int64(stmt, 2, a);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW && col0 != NULL)
		*col0 = sqlite3_column_int64(stmt, 0);
	rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* When the unknown ID is locked until. */
enum store_rc
store_failures_locked(struct store *st,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long *locked_until)
{
	sqlite3 *db = store_db(st);

	*locked_until = 0;
	if (db == NULL)
		return STORE_ERROR;
	return store_failures_exec(db, "SELECT locked_until FROM "
	    "login_failures WHERE id_hash = ?1", id_hash, 0, locked_until);
}

/* Count a failure; lock at the limit (003 §2.2). */
enum store_rc
store_failures_count(struct store *st,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long now,
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
	/* A row whose lock is over and whose count restarted means what
	 * no row means: sweep those, so that IDs tried once and never
	 * again do not pile up forever.  Rows with failures stay, as the
	 * count of a real user does. */
	rc = store_failures_exec(db, "DELETE FROM login_failures WHERE "
	    "locked_until > 0 AND locked_until <= ?2 AND failures = 0",
	    id_hash, now, NULL);
	/* One statement, so that concurrent failures all count. */
	if (rc == STORE_OK)
		rc = store_failures_exec(db, "INSERT INTO login_failures "
		    "(id_hash, failures, locked_until) VALUES (?1, 1, 0) "
		    "ON CONFLICT (id_hash) DO UPDATE SET "
		    "failures = login_failures.failures + 1", id_hash, 0, NULL);
	if (rc == STORE_OK)
		rc = store_failures_exec(db, "SELECT failures FROM "
		    "login_failures WHERE id_hash = ?1", id_hash, 0,
		    &failures);
	if (rc == STORE_OK && failures < 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK && failures >= max_failures)
		rc = store_failures_exec(db, "UPDATE login_failures SET "
		    "failures = 0, locked_until = ?2 WHERE id_hash = ?1",
		    id_hash, now + duration, NULL);
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	if ((rc = store_commit(db)) == STORE_OK && failures >= max_failures)
		*locked_until = now + duration;
	return rc;
}
