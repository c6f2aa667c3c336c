/* Rate-limit counters: one row per counter, a fixed window each.
 *
 * Why a fixed window: one row per client or target and one statement
 * per attempt, which both SQLite and PostgreSQL run atomically (an
 * upsert with RETURNING), so two concurrent attempts can never both see
 * the last free place; and an exact Retry-After, the window's end.  The
 * window opens at the first attempt, not on the clock's hour.  Its
 * known weakness, up to twice the limit across the end of one window
 * and the start of the next, still bounds any hour to 2 x limit, which
 * is what matters against guessing and mail floods; a sliding log would
 * cost a row per attempt, which is itself something to flood.
 *
 * Refused attempts are counted too: that changes nothing within the
 * window (it does not move its end), and keeps the statement single. */
#include "config.h"

#include "store_int.h"
#include "store_ratelimit.h"

/* Count an attempt against each counter until one refuses. */
enum store_rc
store_ratelimit_hit(struct store *st, const struct store_rate_hit *hits,
    size_t n, long long now, size_t *refused, long long *retry_after)
{
	sqlite3 *db = store_db(st);
	enum store_rc rc;

	*refused = n;
	*retry_after = 0;
	if (db == NULL)
		return STORE_ERROR;
	/* One transaction, so that the counters of one attempt cost one
	 * commit. */
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *stmt;
		long long hits_now, ends;
		int step;

		/* A window that has ended starts again with this attempt. */
		if ((rc = store_prepare(db, "INSERT INTO rate_limits (bucket,"
		    " window_start, hits, expires_at) VALUES (?1, ?2, 1,"
		    " ?2 + ?3) ON CONFLICT (bucket) DO UPDATE SET"
		    " window_start = CASE WHEN rate_limits.expires_at <= ?2"
		    " THEN ?2 ELSE rate_limits.window_start END,"
		    " hits = CASE WHEN rate_limits.expires_at <= ?2"
		    " THEN 1 ELSE rate_limits.hits + 1 END,"
		    " expires_at = CASE WHEN rate_limits.expires_at <= ?2"
		    " THEN ?2 + ?3 ELSE rate_limits.expires_at END"
		    " RETURNING hits, expires_at", &stmt)) != STORE_OK)
			goto fail;
		sqlite3_bind_text(stmt, 1, hits[i].bucket, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, now);
		sqlite3_bind_int64(stmt, 3, hits[i].window);
		step = sqlite3_step(stmt);
		if (step != SQLITE_ROW) {
			rc = store_rc_of(db, step);
			sqlite3_finalize(stmt);
			goto fail;
		}
		hits_now = sqlite3_column_int64(stmt, 0);
		ends = sqlite3_column_int64(stmt, 1);
		/* RETURNING rows are complete only once stepped to done. */
		step = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE) {
			rc = store_rc_of(db, step);
			goto fail;
		}
		if (hits_now > hits[i].limit) {
			*refused = i;
			*retry_after = ends > now ? ends - now : 1;
			break;
		}
	}
	if ((rc = store_commit(db)) != STORE_OK) {
		*refused = n;
		*retry_after = 0;
	}
	return rc;

fail:
	store_rollback(db);
	return rc;
}
