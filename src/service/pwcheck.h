/* New passwords: the profile's policy, then libpwquality's dictionary
 * check, so that "Password1" (which meets the lgpos rule of 001) is still
 * refused as a common password. */
#ifndef MADOGUCHID_PWCHECK_H
#define MADOGUCHID_PWCHECK_H

#include "validate.h"

/* The policy first (so that our own rule's message wins), then the
 * dictionary: ERR_NONE, a rule code, ERR_COMMON_PASSWORD, or ERR_INTERNAL
 * when libpwquality itself failed. */
struct verdict pwcheck_new(const struct password_policy *, const char *);

#endif
