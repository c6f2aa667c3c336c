/* The mail queue's writing side: mails join the transaction that causes
 * them, so a committed change always has its mail, and a rolled-back one
 * never does. */
#include "config.h"

#include "store_int.h"

/* Queue a mail inside the caller's open transaction. */
enum store_rc
store_mail_queue(sqlite3 *db, const char *kind, const char *recipient,
    const char *lang, const char *params_json, long long now)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if ((rc = store_prepare(db, "INSERT INTO mail_outbox (kind, recipient,"
	    " lang, params, created_at, next_attempt_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, params_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now);
	step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? STORE_OK : store_rc_of(db, step);
}
