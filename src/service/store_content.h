/* The store's content beside accounts: the mail queue's delivery side
 * (store_outbox.c), notices (store_notices.c) and certificate receipts
 * with their reminder schedule (store_receipts.c).  The same rules as
 * store.h: bound values only, one transaction per change, STORE_OK means
 * committed. */
#ifndef MADOGUCHID_STORE_CONTENT_H
#define MADOGUCHID_STORE_CONTENT_H

#include <stdbool.h>

#include "store.h"

/* next_attempt_at of a mail that can never be rendered (unknown kind,
 * missing parameter, bad recipient): kept for the record, never due. */
#define STORE_OUTBOX_NEVER 9223372036854775807LL

/* One queued mail.  params may hold a code or key: wipe it after use
 * (store_outbox_clear does). */
struct store_mail {
	long long id;
	char *kind;
	char *recipient;
	char *lang;
	char *params;
	long long created_at;
	long long attempts;
	long long next_attempt_at;
	long long sent_at;		/* -1: not sent */
	char *last_error;		/* NULL: none */
};

/* Release a mail's strings, wiping its params. */
void store_outbox_clear(struct store_mail *);
/* Claim, for claimant, up to max unsent mails due at now, oldest first:
 * their next attempt moves to lease_until, so that no other worker takes
 * them before it; *n is how many were filled into out.  A worker that dies
 * holding a claim leaves the mail due again at lease_until. */
enum store_rc store_outbox_claim(struct store *, const char *claimant,
    long long now, long long lease_until, struct store_mail *out, int max,
    int *n);
/* The claims claimant (an instance, by name) still holds, given back:
 * at its start, after it died holding them.  *count how many. */
enum store_rc store_outbox_unclaim(struct store *, const char *claimant,
    long long now, long long *count);
/* A claimed mail given back without an attempt: due at now. */
enum store_rc store_outbox_release(struct store *, long long id,
    long long now);
/* Delivered: record the time and clear params (they may hold a code). */
enum store_rc store_outbox_sent(struct store *, long long id, long long now);
/* Delivery failed: count the attempt, keep the reason, and make it due
 * again at next (STORE_OUTBOX_NEVER: never). */
enum store_rc store_outbox_failed(struct store *, long long id,
    const char *error, long long next);
/* Call fn for every mail, oldest first (params are not read). */
enum store_rc store_outbox_list(struct store *,
    void (*fn)(void *ctx, const struct store_mail *), void *ctx);

/* A notice (SPEC P1). */
struct store_notice {
	long long id;
	long long published_at;
	char *title;
	char *body;			/* NULL in list pages */
};

/* Release a notice's strings. */
void store_notice_clear(struct store_notice *);
/* Add a notice; *id is its number. */
enum store_rc store_notice_add(struct store *, long long published_at,
    const char *title, const char *body, long long *id);
/* How many notices there are. */
enum store_rc store_notice_count(struct store *, long long *total);
/* Call fn for limit notices from offset, newest first (no bodies). */
enum store_rc store_notice_page(struct store *, long long offset,
    long long limit, void (*fn)(void *ctx, const struct store_notice *),
    void *ctx);
/* One notice with its body; STORE_NOT_FOUND when there is none. */
enum store_rc store_notice_get(struct store *, long long id,
    struct store_notice *out);

/* A certificate receipt (SPEC M7, 003 §5). */
struct store_receipt {
	char *number;
	long long issued_at;
	long long registered_at;	/* -1: not yet */
};

/* Release a receipt's strings. */
void store_receipt_clear(struct store_receipt *);
/* Issue a receipt to the user with this user ID: STORE_NOT_FOUND when
 * there is no such user, STORE_EXISTS when the number is taken. */
enum store_rc store_receipt_issue(struct store *, const char *user_id,
    const char *number, long long issued_at);
/* How many receipts a user has. */
enum store_rc store_receipt_count(struct store *, long long user_ref,
    long long *total);
/* Call fn for limit of a user's receipts from offset, newest first. */
enum store_rc store_receipt_page(struct store *, long long user_ref,
    long long offset, long long limit,
    void (*fn)(void *ctx, const struct store_receipt *), void *ctx);
/* Register receipt of the user's certificate number at now; out is the
 * receipt afterwards.  STORE_NOT_FOUND when it is not the user's,
 * STORE_EXISTS when it was registered already (out filled all the same). */
enum store_rc store_receipt_register(struct store *, long long user_ref,
    const char *number, long long now, struct store_receipt *out);
/* 003 §1.4: queue a receipt_reminder for every unregistered receipt
 * issued less than period ago whose last reminder (or issue) is at least
 * interval ago, and note the time, each in one transaction with its
 * mail.  *queued counts them. */
enum store_rc store_receipt_remind(struct store *, long long now,
    long interval, long period, int *queued);

#endif
