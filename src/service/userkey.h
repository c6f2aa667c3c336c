/* How the service compares the IDs and addresses that identify a
 * person: without regard to ASCII case (issue 9).  RFC 5321 makes the
 * domain case-insensitive; like the large identity services we treat
 * the whole address so, so that dup@example.jp and DUP@EXAMPLE.JP are
 * one account.  The spelling typed at registration is kept for display
 * and mail; the store keeps this key beside it (users.user_key,
 * users.email_key) and looks people up by it.  Issued IDs (IM…, KN…)
 * are upper case already, so the rule changes nothing for them but
 * what may be typed. */
#ifndef MADOGUCHID_USERKEY_H
#define MADOGUCHID_USERKEY_H

#include <stdbool.h>

/* Bytes of userkey_hash's output. */
#define USERKEY_HASH_BYTES 32

/* The key of a user ID or address: ASCII letters in lower case, every
 * other byte as it is (addresses and user IDs are ASCII by their
 * rules); malloc'd. */
char *userkey_of(const char *id);
/* Do a and b have the same key? */
bool userkey_equal(const char *a, const char *b);
/* A hash of the key, for what the store keeps about user IDs that do
 * not exist (failed log-ins): a mistyped password in the ID field is
 * then never stored in clear. */
void userkey_hash(const char *id, unsigned char out[USERKEY_HASH_BYTES]);

#endif
