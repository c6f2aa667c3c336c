/* Rate-limit counters in the database (rate_limits table, v3), so that
 * several service instances on one database share them.  Same rules as
 * store.h: bound values only, STORE_OK means committed. */
#ifndef MADOGUCHID_STORE_RATELIMIT_H
#define MADOGUCHID_STORE_RATELIMIT_H

#include <stddef.h>

#include "store.h"

/* One counter an attempt is counted against. */
struct store_rate_hit {
	const char *bucket;	/* ratelimit_key.h's name */
	long limit;		/* attempts allowed in a window, > 0 */
	long window;		/* seconds */
};

/* Count one attempt at now against each counter in order, stopping at
 * the first one that is over its limit: *refused is its index (n when
 * none is) and *retry_after the seconds until its window ends. */
enum store_rc store_ratelimit_hit(struct store *,
    const struct store_rate_hit *hits, size_t n, long long now,
    size_t *refused, long long *retry_after);

#endif
