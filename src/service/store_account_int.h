/* Helpers shared by the account flows' store files (store_account.c,
 * store_code.c, store_registration.c, store_session.c, store_user.c)
 * inside their transactions.  Nothing outside the store includes this. */
#ifndef MADOGUCHID_STORE_ACCOUNT_INT_H
#define MADOGUCHID_STORE_ACCOUNT_INT_H

#include "store_account.h"
#include "store_int.h"

/* Queue n mails. */
enum store_rc store_account_mails(struct db *, const struct store_mail *,
    size_t n, long long now);
/* End a user's sessions, all or all but keep (a token hash). */
enum store_rc store_account_end_sessions(struct db *, long long ref,
    const unsigned char *keep);
/* Open a session for a user who just proved who they are and record the
 * log-in time (R7, and every log-in). */
enum store_rc store_account_open_session(struct db *, long long ref,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang);
/* Judge a code from its row: seal, attempts, expiry, spent. */
void store_code_judge(const char *typed, const void *seal, size_t seal_len,
    long long attempts, long long expires_at, bool spent, long max_attempts,
    long long now, struct store_code_check *out);
/* Spend code row id if typed still matches it and it is live;
 * STORE_EXPIRED otherwise. */
enum store_rc store_code_spend(struct db *, long long id, const char *typed,
    long long now);
/* Insert user u (ref, failed_logins, locked_until, last_login ignored;
 * NULL kind, details and lang as their defaults) with its
 * case-insensitive keys (v4); *ref is its row.  STORE_EXISTS when its
 * user ID, the key of it or its bulk-user ID is taken: that fails no
 * transaction, so the caller may try another ID. */
enum store_rc store_user_insert(struct db *, const struct store_user *u,
    long long *ref);

#endif
