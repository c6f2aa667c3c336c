/* The purge thread: on a schedule of the service clock (purge_interval),
 * deletes pre-registrations, codes, delivered mails and rate-limit
 * counters that nobody can use any more (store_purge.h), each kept for
 * its configured time first.  One small thread beside the mail worker,
 * so that a slow delivery never holds up the purge or the reverse. */
#ifndef MADOGUCHID_PURGE_H
#define MADOGUCHID_PURGE_H

#include "settings.h"
#include "store.h"

struct purge;

/* Start the thread on store (a first pass runs at once); NULL with
 * *error (malloc'd) on failure. */
struct purge *purge_start(const struct settings *, struct store *,
    char **error);
/* Stop the thread (a pass in progress finishes its batch) and free.
 * NULL is allowed. */
void purge_stop(struct purge *);

#endif
