/* Admin subcommands for the service's content, beside admin.h's user
 * commands: notices (P1), certificate receipts (M7) and the mail queue.
 * Each returns the process exit status (0 done, 1 refused or failed,
 * 2 usage). */
#ifndef MADOGUCHID_ADMIN_CONTENT_H
#define MADOGUCHID_ADMIN_CONTENT_H

#include "settings.h"

/* notice-add --title TITLE [--body-file FILE] [--date YYYY-MM-DD];
 * the body is read from stdin without --body-file. */
int admin_notice_add(const struct settings *, int argc, char **argv);
/* certificate-issue USER_ID [--number N]: prints the number. */
int admin_certificate_issue(const struct settings *, int argc, char **argv);
/* mail-list: every queued mail and what became of it, never its params. */
int admin_mail_list(const struct settings *, int argc, char **argv);

#endif
