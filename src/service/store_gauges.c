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
store_gauges_row(struct db *db, const char *sql, long long bind,
    long long *a, long long *b, bool *b_null)
{
	struct db_stmt *stmt;
	enum store_rc rc;

	if ((rc = db_query(db, &stmt, sql, "i", bind)) != STORE_OK)
		return rc;
	if ((rc = db_next(stmt)) == STORE_OK) {
		*a = db_int(stmt, 0);
		if (b != NULL) {
			*b_null = db_null(stmt, 1);
			if (!*b_null)
				*b = db_int(stmt, 1);
		}
	}
	db_done(stmt);
	return rc;
}

/* Mail queue length and age, live sessions. */
enum store_rc
store_gauges(struct store *st, long long now, struct store_gauges *g)
{
	long long oldest = 0;
	bool none = true;
	enum store_rc rc;
	struct db *db;

	memset(g, 0, sizeof *g);
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
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
