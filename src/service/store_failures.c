/* Failed log-ins for unknown user IDs (login_failures, v4). */
#include "config.h"

#include "store_failures.h"
#include "store_int.h"

/* When the unknown ID is locked until. */
enum store_rc
store_failures_locked(struct store *st,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long *locked_until)
{
	struct db *db;
	enum store_rc rc;

	*locked_until = 0;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	rc = db_scalar(db, locked_until, "SELECT locked_until FROM "
	    "login_failures WHERE id_hash = ?1", "b", id_hash,
	    (size_t)USERKEY_HASH_BYTES);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* One failure to count. */
struct failure_count {
	const unsigned char *id_hash;
	long long now;
	long max_failures;
	long duration;
	long long *locked_until;
};

static enum store_rc
store_failures_count_tx(struct db *db, void *arg)
{
	const struct failure_count *a = arg;
	long long failures = -1;
	enum store_rc rc;

	*a->locked_until = 0;
	/* A row whose lock is over and whose count restarted means what
	 * no row means: sweep those, so that IDs tried once and never
	 * again do not pile up forever.  Rows with failures stay, as the
	 * count of a real user does. */
	if ((rc = db_exec(db, NULL, "DELETE FROM login_failures WHERE "
	    "locked_until > 0 AND locked_until <= ?1 AND failures = 0", "i",
	    a->now)) != STORE_OK)
		return rc;
	/* One statement, so that concurrent failures all count. */
	if ((rc = db_scalar(db, &failures, "INSERT INTO login_failures "
	    "(id_hash, failures, locked_until) VALUES (?1, 1, 0) "
	    "ON CONFLICT (id_hash) DO UPDATE SET "
	    "failures = login_failures.failures + 1 RETURNING failures", "b",
	    a->id_hash, (size_t)USERKEY_HASH_BYTES)) != STORE_OK)
		return rc == STORE_NOT_FOUND ? STORE_ERROR : rc;
	if (failures < a->max_failures)
		return STORE_OK;
	if ((rc = db_exec(db, NULL, "UPDATE login_failures SET "
	    "failures = 0, locked_until = ?2 WHERE id_hash = ?1", "bi",
	    a->id_hash, (size_t)USERKEY_HASH_BYTES,
	    a->now + a->duration)) != STORE_OK)
		return rc;
	*a->locked_until = a->now + a->duration;
	return STORE_OK;
}

/* Count a failure; lock at the limit (003 §2.2). */
enum store_rc
store_failures_count(struct store *st,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long now,
    long max_failures, long duration, long long *locked_until)
{
	struct failure_count a = { id_hash, now, max_failures, duration,
	    locked_until };
	enum store_rc rc;

	if ((rc = store_tx(st, store_failures_count_tx, &a)) != STORE_OK)
		*locked_until = 0;
	return rc;
}
