/* The purge of dead rows: pre-registrations, codes, delivered mails,
 * rate-limit counters and sessions long expired.  Failed mails are kept: mail-list shows them to
 * an operator until someone looks. */
#include "config.h"

#include <string.h>

#include "store_int.h"
#include "store_purge.h"

/* Rows deleted per transaction. */
#define STORE_PURGE_BATCH 500

/* Run one bound DELETE of at most a batch (?1 the time, ?2 the batch)
 * in its own transaction until it deletes fewer than a batch; *count
 * adds what went. */
static enum store_rc
store_purge_table(struct store *st, const char *sql, long long before,
    long long *count)
{
	long long deleted;

	do {
		enum store_rc rc;

		if ((rc = store_exec(st, &deleted, sql, "ii", before,
		    (long long)STORE_PURGE_BATCH)) != STORE_OK)
			return rc;
		*count += deleted;
	} while (deleted == STORE_PURGE_BATCH);
	return STORE_OK;
}

/* Delete every kind of dead row. */
enum store_rc
store_purge(struct store *st, const struct store_purge_before *before,
    struct store_purge_counts *counts)
{
	enum store_rc rc;

	memset(counts, 0, sizeof *counts);
	/* DELETE ... LIMIT is neither standard nor in every SQLite build;
	 * a key IN a limited SELECT is both. */
	if ((rc = store_purge_table(st, "DELETE FROM registrations WHERE id"
	    " IN (SELECT id FROM registrations WHERE expires_at <= ?1"
	    " LIMIT ?2)", before->registrations, &counts->registrations)) !=
	    STORE_OK)
		return rc;
	if ((rc = store_purge_table(st, "DELETE FROM codes WHERE id IN"
	    " (SELECT id FROM codes WHERE expires_at <= ?1 OR used_at <= ?1"
	    " LIMIT ?2)", before->codes, &counts->codes)) != STORE_OK)
		return rc;
	if ((rc = store_purge_table(st, "DELETE FROM mail_outbox WHERE id IN"
	    " (SELECT id FROM mail_outbox WHERE sent_at IS NOT NULL"
	    " AND sent_at <= ?1 LIMIT ?2)", before->sent_mail,
	    &counts->sent_mail)) != STORE_OK)
		return rc;
	if ((rc = store_purge_table(st, "DELETE FROM rate_limits WHERE"
	    " bucket IN (SELECT bucket FROM rate_limits WHERE expires_at <= ?1"
	    " LIMIT ?2)", before->rate_limits, &counts->rate_limits)) !=
	    STORE_OK)
		return rc;
	/* sessions_expires (schema v5). */
	return store_purge_table(st, "DELETE FROM sessions WHERE id IN"
	    " (SELECT id FROM sessions WHERE expires_at <= ?1 LIMIT ?2)",
	    before->sessions, &counts->sessions);
}
