/* Where finished messages go: a Maildir outbox (mail_maildir.c, the
 * default) or an SMTP relay through libcurl (mail_smtp.c, smtp_url). */
#ifndef MADOGUCHID_MAIL_TRANSPORT_H
#define MADOGUCHID_MAIL_TRANSPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "settings.h"

/* What a delivery came to. */
enum mail_sent {
	MAIL_SENT,		/* handed over for good */
	MAIL_FAILED,		/* not delivered; try again later */
	MAIL_ABANDONED		/* cut short by shutdown; not an attempt */
};

/* Create dir and its tmp/, new/ and cur/; 0, or -1 with *error. */
int mail_maildir_init(const char *dir, char **error);
/* Write the message of queued mail id (created at created_at) into
 * dir/new by way of dir/tmp (the Maildir protocol: a reader never sees
 * half a message), once: a mail already there is not written again.
 * *error on failure. */
enum mail_sent mail_maildir_deliver(const char *dir, long long id,
    long long created_at, const char *msg, size_t len, long long now,
    char **error);

/* Set libcurl up; once, before any thread uses it. */
int mail_smtp_init(char **error);
/* Release libcurl. */
void mail_smtp_cleanup(void);
/* Send one message to recipient through cfg->smtp_url; gives up with
 * MAIL_ABANDONED as soon as *stop is set. */
enum mail_sent mail_smtp_deliver(const struct settings *,
    const char *recipient, const char *msg, size_t len,
    const atomic_bool *stop, char **error);

#endif
