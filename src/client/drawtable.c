/* Drawing a table's rows. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses-wrap.h"
#include "drawtable.h"
#include "drawtext.h"
#include "hash.h"
#include "i18n.h"
#include "paging.h"
#include "theme.h"
#include "xmalloc.h"

/* The text of one table cell (malloc'd): the member formatted, or its
 * mapped label. */
static char *
drawtable_cell(const struct drawctx *dc, const struct sf_column *col,
    const cJSON *row)
{
	char buf[256];
	const char *v = session_format(row, col->key, buf, sizeof buf);

	if (v == NULL)
		return xstrdup("-");
	for (size_t m = 0; m < col->nmap; m++) {
		if (strcmp(col->map[m].value, v) == 0)
			return layout_text(dc->s->ph, &col->map[m].text);
	}
	return xstrdup(v);
}

/* Column widths for a table in width columns: as wide as the widest
 * cell or heading.  When they do not all fit, headings wider than their
 * cells are cut first (a certificate number must show whole; a heading
 * is the same on every row), then the widest columns. */
static void
drawtable_widths(const struct drawctx *dc, const struct sf_item *it,
    const cJSON *items, int width, int *w)
{
	int total = 0, n = cJSON_GetArraySize(items), dw[32];

	for (size_t c = 0; c < it->ncol; c++) {
		char *t = layout_text(dc->s->ph, &it->col[c].title);

		w[c] = text_width(t);
		free(t);
		dw[c] = 1;
		for (int r = 0; r < n; r++) {
			char *cell = drawtable_cell(dc, &it->col[c],
			    cJSON_GetArrayItem(items, r));
			int cw = text_width(cell);

			if (cw > dw[c])
				dw[c] = cw;
			free(cell);
		}
		if (dw[c] > w[c])
			w[c] = dw[c];
		total += w[c] + 2;
	}
	while (total > width) {
		size_t most = 0;

		for (size_t c = 1; c < it->ncol; c++) {
			if (w[c] - dw[c] > w[most] - dw[most])
				most = c;
		}
		if (w[most] - dw[most] <= 0 || w[most] <= 4)
			break;
		w[most]--;
		total--;
	}
	while (total > width) {
		size_t widest = 0;

		for (size_t c = 1; c < it->ncol; c++) {
			if (w[c] > w[widest])
				widest = c;
		}
		if (w[widest] <= 4)
			break;
		w[widest]--;
		total--;
	}
}

uint64_t
drawtable_sig(const struct drawctx *dc, const struct lrow *r, uint64_t h)
{
	const struct fieldval *fv = layout_cache_value(dc->lc, r->item);
	bool focused = r->item == dc->s->focus;

	if (fv == NULL)
		return h;
	if (r->kind == LR_TROW)
		return hash_int(h, focused && r->sub == fv->row);
	if (r->kind == LR_TPAGER)
		return hash_int(hash_int(h, fv->page), fv->per_page);
	return h;
}

/* The page line (003 §5): which page of how many, the page numbers with
 * the current one marked, and the rows per page.  Only an answer whose
 * numbers are in range and add up is kept (load.c); before one, all
 * are 0. */
static void
drawtable_pager(const struct drawctx *dc, const cJSON *page,
    const struct fieldval *fv, int y)
{
	const struct layout *lo = dc->lo;
	struct paging pg;
	char *line, *nums = xstrdup(""), *next;

	paging_read(page, &pg);
	for (int p = 1; p <= pg.pages && p <= 9; p++) {
		xasprintf(&next, p == fv->page ? "%s [%d]" : "%s %d", nums, p);
		free(nums);
		nums = next;
	}
	if (pg.pages > 9) {
		xasprintf(&next, "%s …", nums);
		free(nums);
		nums = next;
	}
	xasprintf(&line, _("Page %d of %d (%d in all, %d a page):%s"),
	    pg.pages > 0 ? fv->page : 0, pg.pages, pg.total, pg.per_page,
	    nums);
	drawtext_str(y, lo->x0, line, lo->width);
	free(line);
	free(nums);
}

int
drawtable_row(struct drawctx *dc, const struct lrow *r, int y)
{
	const struct sf_item *it = &dc->s->sc->item[r->item];
	const struct layout *lo = dc->lo;
	const cJSON *page = cJSON_GetObjectItemCaseSensitive(
	    dc->s->ph->sess->vars, it->name);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(page, "items");
	const struct fieldval *fv = layout_cache_value(dc->lc, r->item);
	bool focused = r->item == dc->s->focus;
	int *w = dc->tw.w, x = lo->x0, curx = -1;

	if (it->ncol > 32 || fv == NULL)
		return -1;
	if (dc->tw.item != r->item) {
		drawtable_widths(dc, it, items, lo->width, dc->tw.w);
		dc->tw.item = r->item;
	}
	if (r->kind == LR_THEAD) {
		attron(A_BOLD);
		for (size_t c = 0; c < it->ncol; c++) {
			char *t = layout_text(dc->s->ph, &it->col[c].title);

			drawtext_str(y, x, t, w[c]);
			free(t);
			x += w[c] + 2;
		}
		attrset(A_NORMAL);
		if (focused && cJSON_GetArraySize(items) == 0)
			curx = lo->x0;
	} else if (r->kind == LR_TROW) {
		const cJSON *row = cJSON_GetArrayItem(items, r->sub);

		if (focused && r->sub == fv->row) {
			drawtext_marks(y, true, false);
			attron(theme_attr(THEME_FOCUS));
			mvhline(y, lo->x0, ' ', lo->width);
			curx = lo->x0;
		}
		for (size_t c = 0; c < it->ncol; c++) {
			char *cell = drawtable_cell(dc, &it->col[c], row);

			drawtext_str(y, x, cell, w[c]);
			free(cell);
			x += w[c] + 2;
		}
		attrset(A_NORMAL);
	} else
		drawtable_pager(dc, page, fv, y);
	return curx;
}
