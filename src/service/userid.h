/* Issued user IDs: immigration's (003 §3 step 8) and oss's two
 * (002 §2).  Drawn from libsodium's random source; the store retries
 * with a new draw when one is taken. */
#ifndef MADOGUCHID_USERID_H
#define MADOGUCHID_USERID_H

#include <stddef.h>

/* "IM" and 8 digits, e.g. IM40392817: 10 characters, typed at a
 * terminal from the completion mail. */
#define USERID_IMMIGRATION_LEN 10
/* oss: "KN" (payment user) or "KI" (bulk user), 2 capital letters and
 * 4 digits, the two sharing the tail: KNCA6288 and KICA6288. */
#define USERID_OSS_LEN 8

/* A new immigration ID into out (at least USERID_IMMIGRATION_LEN + 1). */
void userid_immigration(char *out, size_t size);
/* A new pair of oss IDs (each at least USERID_OSS_LEN + 1). */
void userid_oss(char *payment, char *bulk, size_t size);

#endif
