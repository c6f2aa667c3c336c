/* The mail queue's writing side: mails join the transaction that causes
 * them, so a committed change always has its mail, and a rolled-back one
 * never does. */
#include "config.h"

#include "store_int.h"

/* Queue a mail inside the caller's open transaction. */
enum store_rc
store_mail_queue(struct db *db, const char *kind, const char *recipient,
    const char *lang, const char *params_json, long long now)
{
	return db_exec(db, NULL, "INSERT INTO mail_outbox (kind, recipient,"
	    " lang, params, created_at, next_attempt_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)", "tttti", kind, recipient,
	    lang, params_json, now);
}
