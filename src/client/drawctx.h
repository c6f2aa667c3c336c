/* What drawing one content row needs (draw.c, drawrow.c, drawtable.c):
 * the scene, the layout and its values, and where the margins are. */
#ifndef MADOGUCHI_DRAWCTX_H
#define MADOGUCHI_DRAWCTX_H

#include "draw.h"
#include "layoutcache.h"

/* Content starts here; columns 1 and 2 hold the focus and error marks,
 * column 0 the marks that more rows lie above or below. */
#define DRAW_X0 4
#define DRAW_FOCUS_COL 1
#define DRAW_ERROR_COL 2

/* A table's column widths, measured once a frame (its rows are drawn
 * one after another) rather than once a row. */
struct table_widths {
	int item;		/* -1: nothing measured yet */
	int w[32];
};

struct drawctx {
	const struct scene *s;
	const struct layout *lo;
	const struct layout_cache *lc;
	struct table_widths tw;
};

#endif
