/* Keys on a table from the service (003 §5): Up/Down choose a row,
 * Enter opens it, Left/Right/Home/End and 1-9 choose the page, +/- the
 * rows per page. */
#ifndef MADOGUCHI_TABLEKEY_H
#define MADOGUCHI_TABLEKEY_H

#include <stdbool.h>
#include <wchar.h>

#include "engine.h"

/* Apply key k or character c to table it on the top screen; false for a
 * key it does not take (Tab, or Up on the first row: the focus moves). */
bool tablekey(struct engine *, const struct sf_item *it, int k, wchar_t c);

#endif
