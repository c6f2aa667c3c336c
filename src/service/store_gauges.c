/* The database's share of GET /metrics: mail queue and live sessions. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "store_content.h"
#include "store_gauges.h"
#include "store_int.h"

/* Run a one-row query with ?1 bound; its two columns (the second may
 * be NULL: then *b is left alone). */
static enum store_rc
store_gauges_row(sqlite3 *db, const char *sql, long long bind,
    long long *a, long long *b, bool *b_null)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, bind);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		*a = sqlite3_column_int64(stmt, 0);
		if (b != NULL) {
			*b_null = sqlite3_column_type(stmt, 1) == SQLITE_NULL;
			if (!*b_null)
				*b = sqlite3_column_int64(stmt, 1);
		}
		rc = STORE_OK;
	} else
		rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* Mail queue length and age, live sessions. */
enum store_rc
store_gauges(struct store *st, long long now, struct store_gauges *g)
{
	sqlite3 *db = store_db(st);
	long long oldest = 0;
	bool none = true;
	enum store_rc rc;

	memset(g, 0, sizeof *g);
	if (db == NULL)
		return STORE_ERROR;
	/* A mail given up on (next attempt never) is mail-list's business,
	 * not the queue's. */
	rc = store_gauges_row(db, "SELECT COUNT(*), MIN(created_at) FROM "
	    "mail_outbox WHERE sent_at IS NULL AND next_attempt_at < ?1",
	    STORE_OUTBOX_NEVER, &g->mail_queued, &oldest, &none);
	if (rc != STORE_OK)
		return rc;
	g->mail_oldest_age = none || oldest > now ? 0 : now - oldest;
	return store_gauges_row(db, "SELECT COUNT(*), NULL FROM sessions "
	    "WHERE expires_at > ?1", now, &g->sessions_live, NULL, NULL);
}
