/* Failed log-ins for user IDs that do not exist (login_failures, schema
 * v4), kept by a hash of the ID's key (userkey.h) and counted exactly as
 * users.failed_logins is for real ones, so that an unknown ID answers
 * 401 four times and then 423 like a known one (003 §2.2; issue 9:
 * lockout must not tell which user IDs exist). */
#ifndef MADOGUCHID_STORE_FAILURES_H
#define MADOGUCHID_STORE_FAILURES_H

#include "store.h"
#include "userkey.h"

/* When the unknown ID with this hash is locked until (0: not locked or
 * never seen). */
enum store_rc store_failures_locked(struct store *,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long *locked_until);
/* Count a failed log-in for it; at max_failures lock it until
 * now + duration and restart the count, as store_login_failed does.
 * *locked_until is the new lock end, or 0 when this failure did not
 * lock. */
enum store_rc store_failures_count(struct store *,
    const unsigned char id_hash[USERKEY_HASH_BYTES], long long now,
    long max_failures, long duration, long long *locked_until);

#endif
