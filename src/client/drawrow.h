/* One content row of a screen (layout.h): a paragraph's line, a field
 * with its label and box, a toggle, an answer of a choice, a button, a
 * note or error under a field, a table's row; and what the row shows
 * beyond its layout, so that it is drawn again only when that changed. */
#ifndef MADOGUCHI_DRAWROW_H
#define MADOGUCHI_DRAWROW_H

#include <stdint.h>

#include "drawctx.h"

/* h continued over what row r shows beyond the layout: focus, error,
 * what is typed or chosen. */
uint64_t drawrow_sig(const struct drawctx *, const struct lrow *r,
    uint64_t h);
/* Draw row r at screen row y (already cleared); returns the column of
 * the cursor when the row holds it, else -1. */
int drawrow(struct drawctx *, const struct lrow *r, int y);

#endif
