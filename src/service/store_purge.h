/* Deleting rows nobody can use any more, so that the database stays
 * bounded however many registrations are started (purge.c runs it on a
 * schedule).  Same rules as store.h. */
#ifndef MADOGUCHID_STORE_PURGE_H
#define MADOGUCHID_STORE_PURGE_H

#include "store.h"

/* What goes: rows dead at or before these times (seconds since the
 * epoch). */
struct store_purge_before {
	long long registrations;	/* pre-registrations past expires_at */
	long long codes;		/* codes used or past expires_at */
	long long sent_mail;		/* mails delivered (sent_at) */
	long long rate_limits;		/* counters whose window has ended */
	long long sessions;		/* sessions past expires_at */
};

/* How many rows went from each table. */
struct store_purge_counts {
	long long registrations;
	long long codes;
	long long sent_mail;
	long long rate_limits;
	long long sessions;
};

/* Delete them, a batch per transaction so that no request waits long
 * for the write lock; *counts says how many.  A failure stops the pass
 * (what was deleted stays deleted). */
enum store_rc store_purge(struct store *, const struct store_purge_before *,
    struct store_purge_counts *counts);

#endif
