/* hash-rate: the password hashes one thread computes a second. */
#ifndef MADOGUCHID_ADMIN_HASH_H
#define MADOGUCHID_ADMIN_HASH_H

#include "settings.h"

/* hash-rate [SECONDS] [--json] */
int admin_hash_rate(const struct settings *, int argc, char **argv);

#endif
