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

/* One attempt to count. */
struct rate_count {
	const struct store_rate_hit *hits;
	size_t n;
	long long now;
	size_t *refused;
	long long *retry_after;
};

static enum store_rc
store_ratelimit_tx(struct db *db, void *arg)
{
	const struct rate_count *a = arg;

	*a->refused = a->n;
	*a->retry_after = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct store_rate_hit *h = &a->hits[i];
		long long hits_now = 0, ends = 0;
		struct db_stmt *row;
		enum store_rc rc;

		/* A window that has ended starts again with this attempt. */
		if ((rc = db_query(db, &row, "INSERT INTO rate_limits (bucket,"
		    " window_start, hits, expires_at) VALUES (?1, ?2, 1,"
		    " ?2 + ?3) ON CONFLICT (bucket) DO UPDATE SET"
		    " window_start = CASE WHEN rate_limits.expires_at <= ?2"
		    " THEN ?2 ELSE rate_limits.window_start END,"
		    " hits = CASE WHEN rate_limits.expires_at <= ?2"
		    " THEN 1 ELSE rate_limits.hits + 1 END,"
		    " expires_at = CASE WHEN rate_limits.expires_at <= ?2"
		    " THEN ?2 + ?3 ELSE rate_limits.expires_at END"
		    " RETURNING hits, expires_at", "tii", h->bucket, a->now,
		    (long long)h->window)) != STORE_OK)
			return rc;
		if ((rc = db_next(row)) == STORE_OK) {
			hits_now = db_int(row, 0);
			ends = db_int(row, 1);
			/* RETURNING rows are complete only once stepped to
			 * the end. */
			rc = db_next(row);
			if (rc == STORE_NOT_FOUND)
				rc = STORE_OK;
			else if (rc == STORE_OK)
				rc = STORE_ERROR;
		} else if (rc == STORE_NOT_FOUND)
			rc = STORE_ERROR;
		db_done(row);
		if (rc != STORE_OK)
			return rc;
		if (hits_now > h->limit) {
			*a->refused = i;
			*a->retry_after = ends > a->now ? ends - a->now : 1;
			break;
		}
	}
	return STORE_OK;
}

/* Count an attempt against each counter until one refuses. */
enum store_rc
store_ratelimit_hit(struct store *st, const struct store_rate_hit *hits,
    size_t n, long long now, size_t *refused, long long *retry_after)
{
	struct rate_count a = { hits, n, now, refused, retry_after };
	enum store_rc rc;

	/* One transaction, so that the counters of one attempt cost one
	 * commit. */
	if ((rc = store_tx(st, store_ratelimit_tx, &a)) != STORE_OK) {
		*refused = n;
		*retry_after = 0;
	}
	return rc;
}
