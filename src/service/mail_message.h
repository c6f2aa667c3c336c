/* RFC 5322 messages: headers with encoded words, a base64 UTF-8 body,
 * CRLF line ends.  Nothing a template or a queued row holds ever reaches
 * a header unencoded, so no header can be injected. */
#ifndef MADOGUCHID_MAIL_MESSAGE_H
#define MADOGUCHID_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "mail_render.h"
#include "settings.h"

/* Is addr usable as it stands in To: and RCPT TO (the 001 FAQ address
 * rules: printable ASCII, no CR, LF, spaces or brackets)? */
bool mail_message_address_ok(const char *addr);

/* The bare address of a "Name <addr>" or "addr" sender, malloc'd. */
char *mail_message_envelope(const char *from);

/* The whole message for recipient (checked with mail_message_address_ok
 * first), dated now; *len is its length.  Wipe it after use: the body
 * may hold a code. */
char *mail_message_build(const struct settings *, const char *recipient,
    const struct mail_text *, long long now, size_t *len);

#endif
