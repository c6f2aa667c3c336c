/* The languages the service speaks (003 §1.6: the immigration system's
 * eight), by the codes of docs/api.md. */
#ifndef MADOGUCHID_LANG_H
#define MADOGUCHID_LANG_H

#include <stdbool.h>

/* The codes, NULL-terminated, in the order GET /api/v1/info lists them. */
extern const char *const lang_codes[];

/* Is code one of lang_codes? */
bool lang_known(const char *code);

#endif
