/* What a rate limit counts by: the client's address reduced to what one
 * party controls, and a target as the service compares it, both turned
 * into the name of a counter in the rate_limits table.  Pure functions:
 * no store, no clock. */
#ifndef MADOGUCHID_RATELIMIT_KEY_H
#define MADOGUCHID_RATELIMIT_KEY_H

#include <stddef.h>

/* Room for a client key ("ffff:...:ffff::/64") and a bucket name. */
#define RATELIMIT_CLIENT_MAX 64
#define RATELIMIT_BUCKET_MAX 96

/* The key of a client address given as text: an IPv4 address as it
 * is; an IPv6 address as its /64 prefix ("2001:db8:1:2::/64"), since one
 * subscriber usually holds a whole /64; an IPv4-mapped IPv6 address as
 * the IPv4 address; "unknown" for anything else (NULL included). */
void ratelimit_client_key(const char *addr, char out[RATELIMIT_CLIENT_MAX]);

/* The counter's name for kind ("login"), scope ('c' client, 't' target)
 * and key: "login/t/" and 32 hex digits of a hash of the key, so that
 * the table never holds an address or user ID in clear.  Targets are
 * compared without case (ASCII), as e-mail addresses are. */
void ratelimit_bucket(const char *kind, char scope, const char *key,
    char out[RATELIMIT_BUCKET_MAX]);

#endif
