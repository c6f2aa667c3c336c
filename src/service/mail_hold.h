/* Mails the worker holds back in memory because the database could not
 * record what became of them (a full disk): one delivered but not marked
 * sent would otherwise stay due and go out again every round, and one
 * whose failed attempt was not counted would be retried every round.
 * Only the worker thread uses a hold; it does not outlive the process,
 * so a delivery still unrecorded at exit may be made once more after a
 * restart. */
#ifndef MADOGUCHID_MAIL_HOLD_H
#define MADOGUCHID_MAIL_HOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

struct mail_hold_entry;

struct mail_hold {
	struct mail_hold_entry *v;
	size_t n;
	size_t cap;
};

/* An empty hold. */
void mail_hold_init(struct mail_hold *);
/* Free the hold (what it still holds is logged by mail_hold_flush). */
void mail_hold_free(struct mail_hold *);
/* Mail id was delivered at sent_at but not recorded: never deliver it
 * again; record it from retry_at on. */
void mail_hold_sent(struct mail_hold *, long long id, long long sent_at,
    long long retry_at);
/* Mail id failed and the failure was not recorded: not before until. */
void mail_hold_failed(struct mail_hold *, long long id, long long until);
/* Whether mail id is held back from delivery now. */
bool mail_hold_has(const struct mail_hold *, long long id);
/* How many mails are held. */
size_t mail_hold_count(const struct mail_hold *);
/* Record the deliveries whose retry time has come (the next try
 * retry_delay later if it fails again), and release the failed mails
 * whose time has come. */
void mail_hold_flush(struct mail_hold *, struct store *, long long now,
    long retry_delay);

#endif
