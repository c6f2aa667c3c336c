/* The data directory: database, keys and the mail outbox.  It holds
 * password hashes and private keys, so it is the service user's alone
 * (mode 0700), whoever made it. */
#ifndef MADOGUCHID_DATADIR_H
#define MADOGUCHID_DATADIR_H

/* Create dir and its missing parents with mode 0700.  A dir that already
 * exists open to group or others is made 0700, with a log line; one that
 * belongs to another user, or cannot be changed, is refused.  0, or -1
 * with *error (malloc'd). */
int datadir_prepare(const char *dir, char **error);

#endif
