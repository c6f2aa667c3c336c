/* Admin subcommands run against the data directory, beside or instead of
 * a running service: user-add, user-list, user-unlock, user-delete,
 * user-collisions.  Each returns the process exit status (0 done, 1
 * refused or failed, 2 usage).  What they print from the database or
 * the command line goes through termsafe.h. */
#ifndef MADOGUCHID_ADMIN_H
#define MADOGUCHID_ADMIN_H

#include "settings.h"

/* user-add: lgpos USER_ID --name NAME [--email EMAIL]; oss --name NAME
 * --email EMAIL [--kind KIND] and immigration --name-latin NAME
 * --category CAT --email EMAIL issue IDs; all [--lang LANG]. */
int admin_user_add(const struct settings *, int argc, char **argv);
/* user-list */
int admin_user_list(const struct settings *, int argc, char **argv);
/* user-unlock USER_ID */
int admin_user_unlock(const struct settings *, int argc, char **argv);
/* user-delete USER_ID (its exact spelling) */
int admin_user_delete(const struct settings *, int argc, char **argv);
/* user-collisions: user IDs that differ only in case (store.c, v4) */
int admin_user_collisions(const struct settings *, int argc, char **argv);

#endif
