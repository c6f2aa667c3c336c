/* Internals shared by store*.c only: the per-thread connection and the
 * transaction helpers.  Nothing outside the store includes this. */
#ifndef MADOGUCHID_STORE_INT_H
#define MADOGUCHID_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

/* The calling thread's connection, opened on first use; NULL on failure. */
sqlite3 *store_db(struct store *);
/* BEGIN IMMEDIATE, retried while the database is busy. */
enum store_rc store_begin(sqlite3 *);
/* COMMIT; on failure the transaction is rolled back. */
enum store_rc store_commit(sqlite3 *);
/* ROLLBACK, ignoring errors (nothing to do if none is open). */
void store_rollback(sqlite3 *);
/* Prepare one statement; STORE_OK or the mapped error. */
enum store_rc store_prepare(sqlite3 *, const char *sql, sqlite3_stmt **);
/* Map an SQLite result code to a store result. */
enum store_rc store_rc_of(sqlite3 *, int rc);
/* A copy of a text column, "" for NULL. */
char *store_column_text(sqlite3_stmt *, int col);

/* Give each user row without a key (store.c, v4) its key where no
 * other row holds it; store_user.c. */
enum store_rc store_user_rekey(sqlite3 *);

/* Queue a mail inside the caller's open transaction (mail_outbox, v2):
 * kind names a template in mail.c, params is a JSON object text with
 * what the template fills in.  Delivered by mail.c after the commit. */
enum store_rc store_mail_queue(sqlite3 *, const char *kind,
    const char *recipient, const char *lang, const char *params_json,
    long long now);

#endif
