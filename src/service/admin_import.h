/* madoguchid user-import: many users at once from a CSV file (a
 * municipality moving to the service), in batches of one transaction
 * each, with progress on stderr.  Rows are held to user-add's rules
 * (newuser.h); a row comes with an argon2id hash to keep, or without,
 * and then the person gets a mailed key to set the password with
 * (docs/api.md "Admin commands").  Returns the exit status: 0 every row
 * imported or already there, 1 some row refused or the import stopped,
 * 2 usage. */
#ifndef MADOGUCHID_ADMIN_IMPORT_H
#define MADOGUCHID_ADMIN_IMPORT_H

#include "settings.h"

/* user-import FILE|- [--output FILE] [--stop-at-first-error]
 * [--key-ttl HOURS] [--batch N] [--json] */
int admin_user_import(const struct settings *, int argc, char **argv);

#endif
