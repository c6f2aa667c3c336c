/* Internals shared by store*.c only: the per-thread connection and the
 * transaction helpers.  Nothing outside the store includes this. */
#ifndef MADOGUCHID_STORE_INT_H
#define MADOGUCHID_STORE_INT_H

#include "db.h"
#include "store.h"

/* The calling thread's connection, opened on first use: STORE_OK, or
 * STORE_BUSY when a PostgreSQL server cannot be reached now, or
 * STORE_ERROR. */
enum store_rc store_conn(struct store *, struct db **);

/* Run fn in one write transaction (db_begin): commit when it returns
 * STORE_OK, roll back otherwise and return what it returned.  When the
 * engine gives up on the transaction (STORE_RETRY: PostgreSQL's
 * serialization failures and deadlocks) it is run again from the start,
 * after a short random pause, up to a bound; then STORE_BUSY.  So fn may
 * run more than once: it must have no effect outside the database, and
 * fill its out-parameters afresh each time (releasing what an earlier
 * run left). */
enum store_rc store_tx(struct store *,
    enum store_rc (*fn)(struct db *, void *arg), void *arg);
/* One statement in its own transaction, as store_tx runs it; *changes
 * (may be NULL) as db_exec. */
enum store_rc store_exec(struct store *, long long *changes, const char *sql,
    const char *fmt, ...);

/* Give each user row without a key (store.c, v4) its key where no
 * other row holds it; store_userkey.c. */
enum store_rc store_user_rekey(struct store *);

/* Queue a mail inside the caller's open transaction (mail_outbox, v2):
 * kind names a template in mail.c, params is a JSON object text with
 * what the template fills in.  Delivered by mail.c after the commit. */
enum store_rc store_mail_queue(struct db *, const char *kind,
    const char *recipient, const char *lang, const char *params_json,
    long long now);

#endif
