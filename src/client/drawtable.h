/* The rows of a table from the service (P1 notices, M7 receipts): its
 * page line, column headings and data rows, columns as wide as their
 * widest cell. */
#ifndef MADOGUCHI_DRAWTABLE_H
#define MADOGUCHI_DRAWTABLE_H

#include <stdint.h>

#include "drawctx.h"

/* h continued over what a table row shows beyond its layout: the
 * selected row and the page. */
uint64_t drawtable_sig(const struct drawctx *, const struct lrow *,
    uint64_t h);
/* Draw a table row at y; returns the cursor column it holds, or -1. */
int drawtable_row(struct drawctx *, const struct lrow *, int y);

#endif
