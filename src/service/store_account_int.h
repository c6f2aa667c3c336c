/* Helpers shared by the account flows' store files (store_account.c,
 * store_code.c, store_registration.c, store_user.c) inside their
 * transactions.  Nothing outside the store includes this. */
#ifndef MADOGUCHID_STORE_ACCOUNT_INT_H
#define MADOGUCHID_STORE_ACCOUNT_INT_H

#include "store_account.h"
#include "store_int.h"

/* Queue n mails. */
enum store_rc store_account_mails(sqlite3 *, const struct store_mail *,
    size_t n, long long now);
/* End a user's sessions, all or all but keep (a token hash). */
enum store_rc store_account_end_sessions(sqlite3 *, long long ref,
    const unsigned char *keep);
/* Open a session for a user who just proved who they are (R7). */
enum store_rc store_account_open_session(sqlite3 *, long long ref,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang);
/* Judge a code from its row: seal, attempts, expiry, spent. */
void store_code_judge(const char *typed, const void *seal, size_t seal_len,
    long long attempts, long long expires_at, bool spent, long max_attempts,
    long long now, struct store_code_check *out);
/* Spend code row id if typed still matches it and it is live;
 * STORE_EXPIRED otherwise. */
enum store_rc store_code_spend(sqlite3 *, long long id, const char *typed,
    long long now);
/* Bind users' v2 columns from parameter first on. */
void store_user_bind_extras(sqlite3_stmt *, int first,
    const struct store_user *);
/* Bind the case-insensitive keys of u's user ID and address (v4) at
 * first and first + 1. */
void store_user_bind_keys(sqlite3_stmt *, int first,
    const struct store_user *);
/* Run one bound statement to completion and finalize it. */
enum store_rc store_account_step(sqlite3 *, sqlite3_stmt *);

#endif
