/* The mail worker: one thread beside the HTTP handlers that delivers the
 * queue in mail_outbox (rendered in each person's language, to the
 * Maildir outbox or an SMTP relay) and queues the certificate receipt
 * reminders of 003 §1.4.  A failed delivery is retried with growing
 * delays for ever; nothing queued is dropped, and a request never waits
 * for, or fails because of, delivery. */
#ifndef MADOGUCHID_MAIL_H
#define MADOGUCHID_MAIL_H

#include "settings.h"
#include "store.h"

struct mail;

/* Check the mail settings, create the Maildir outbox, and start the
 * worker on store; NULL with *error (malloc'd) on failure. */
struct mail *mail_start(const struct settings *, struct store *,
    char **error);
/* Stop the worker: a delivery in progress is finished (Maildir) or
 * abandoned (SMTP) and stays queued; then free.  NULL is allowed. */
void mail_stop(struct mail *);

#endif
