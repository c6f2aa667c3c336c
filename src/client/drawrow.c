/* Drawing a content row. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses-wrap.h"
#include "drawrow.h"
#include "drawtable.h"
#include "drawtext.h"
#include "hash.h"
#include "theme.h"

/* True if a password field is shown in clear by its toggle. */
static bool
drawrow_unmasked(const struct drawctx *dc, const struct sf_item *field)
{
	const struct sf_screen *sc = dc->s->sc;

	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];
		const struct fieldval *fv;

		if (it->kind == SF_FIELD && it->fkind == SF_FIELD_TOGGLE &&
		    it->for_field != NULL &&
		    strcmp(it->for_field, field->name) == 0)
			return (fv = layout_cache_value(dc->lc, (int)i)) !=
			    NULL && fv->on;
	}
	return false;
}

/* True if the field's characters show as "*". */
static bool
drawrow_masked(const struct drawctx *dc, const struct sf_item *it)
{
	return it->fkind == SF_FIELD_PASSWORD && !drawrow_unmasked(dc, it);
}

uint64_t
drawrow_sig(const struct drawctx *dc, const struct lrow *r, uint64_t h)
{
	const struct sf_item *it = r->item >= 0 ? &dc->s->sc->item[r->item] :
	    NULL;
	struct fieldval *fv = layout_cache_value(dc->lc, r->item);
	bool mask;

	if (it == NULL)
		return h;
	h = hash_int(h, r->item == dc->s->focus);
	if (it->kind == SF_TABLE)
		return drawtable_sig(dc, r, h);
	if (it->kind != SF_FIELD || fv == NULL)
		return h;
	h = hash_int(h, fv->err);
	switch (r->kind) {
	case LR_FIELD:
		mask = drawrow_masked(dc, it);
		editbuf_fit(&fv->eb, dc->lo->boxw, mask);
		h = hash_int(h, mask);
		h = hash_int(h, (long long)fv->eb.len);
		h = hash_int(h, (long long)fv->eb.cur);
		h = hash_int(h, (long long)fv->eb.scroll);
		if (fv->eb.len > 0)
			h = hash_bytes(h, fv->eb.s, fv->eb.len *
			    sizeof fv->eb.s[0]);
		return h;
	case LR_TOGGLE:
		return hash_int(h, fv->on);
	case LR_CHOICE:
		h = hash_int(h, (long long)fv->eb.len);
		return fv->eb.len > 0 ? hash_bytes(h, fv->eb.s, fv->eb.len *
		    sizeof fv->eb.s[0]) : h;
	default:
		return h;
	}
}

/* The box of a text or password field: "[value____]"; returns the
 * cursor column.  The brackets carry the focus and what is typed stays
 * in the field's plain colours: a typed character then costs the
 * terminal that character, not attributes set and reset around it. */
static int
drawrow_box(const struct drawctx *dc, const struct sf_item *it,
    struct fieldval *fv, int y, bool focused)
{
	const struct layout *lo = dc->lo;
	struct editbuf *eb = &fv->eb;
	bool mask = drawrow_masked(dc, it);
	int x = lo->boxx + 1, used = 0, curx = x;

	editbuf_fit(eb, lo->boxw, mask);
	if (it->fkind == SF_FIELD_READONLY) {
		/* Shown as text, not as a box one could type into. */
		if (focused)
			attron(theme_attr(THEME_FOCUS));
		drawtext_wcs(y, lo->boxx, eb->s, lo->width -
		    (lo->boxx - lo->x0));
		attrset(A_NORMAL);
		return lo->boxx;
	}
	if (focused)
		attron(theme_attr(THEME_FOCUS));
	mvaddch(y, lo->boxx, '[');
	attrset(A_NORMAL);
	attron(theme_attr(THEME_FIELD));
	for (size_t i = eb->scroll, next; i <= eb->len; i = next) {
		int w;

		if (i == eb->cur)
			curx = x + used;
		if (i == eb->len)
			break;
		/* A base character and its marks go to the cell together. */
		next = editbuf_next(eb, i);
		w = mask ? 1 : text_char_width(eb->s[i]);
		if (used + w > lo->boxw)
			break;
		if (mask)
			mvaddch(y, x + used, '*');
		else
			mvaddnwstr(y, x + used, &eb->s[i], (int)(next - i));
		used += w;
	}
	for (; used < lo->boxw; used++)
		mvaddch(y, x + used, '_');
	attrset(A_NORMAL);
	if (focused)
		attron(theme_attr(THEME_FOCUS));
	mvaddch(y, x + lo->boxw, ']');
	attrset(A_NORMAL);
	return curx;
}

/* A field's label at the start of row y, in the focus colours when the
 * field has the focus. */
static void
drawrow_label(const struct layout *lo, const wchar_t *label, int y, int cols,
    bool focused)
{
	if (focused)
		attron(theme_attr(THEME_FOCUS));
	drawtext_wcs(y, lo->x0, label, cols);
	attrset(A_NORMAL);
}

/* One answer of a choice field. */
static int
drawrow_choice(const struct drawctx *dc, const struct lrow *r, int y,
    bool focused, bool error)
{
	const struct layout *lo = dc->lo;
	const struct sf_item *it = &dc->s->sc->item[r->item];
	struct fieldval *fv = layout_cache_value(dc->lc, r->item);
	const char *chosen = NULL;
	char *val = editbuf_utf8(&fv->eb);
	bool on = strcmp(val, it->opt[r->sub].value) == 0;
	bool first = r->sub == 0, here;

	for (size_t o = 0; o < it->nopt; o++) {
		if (strcmp(val, it->opt[o].value) == 0)
			chosen = it->opt[o].value;
	}
	free(val);
	if (first && r->label != NULL) {
		drawtext_marks(y, focused, error);
		drawtext_wcs(y, lo->x0, r->label, lo->labelw);
	}
	/* The cursor on the chosen answer, or the first when none is
	 * chosen yet. */
	here = focused && (on || (chosen == NULL && first));
	if (here)
		attron(theme_attr(THEME_FOCUS));
	mvaddstr(y, lo->boxx, on ? "(*)" : "( )");
	attrset(A_NORMAL);
	drawtext_wcs(y, lo->boxx + 4, r->text, lo->x0 + lo->width - lo->boxx -
	    4);
	return here ? lo->boxx + 1 : -1;
}

int
drawrow(struct drawctx *dc, const struct lrow *r, int y)
{
	const struct layout *lo = dc->lo;
	const struct sf_item *it = r->item >= 0 ? &dc->s->sc->item[r->item] :
	    NULL;
	struct fieldval *fv = layout_cache_value(dc->lc, r->item);
	bool focused = r->item >= 0 && r->item == dc->s->focus;
	bool error = it != NULL && it->kind == SF_FIELD && fv != NULL &&
	    fv->err != ERR_NONE;
	int x;

	switch (r->kind) {
	case LR_BLANK:
		break;
	case LR_TEXT:
		drawtext_wcs(y, lo->x0, r->text, lo->width);
		break;
	case LR_LABEL:
		drawtext_marks(y, focused, error);
		drawrow_label(lo, r->text, y, lo->width, focused &&
		    it->kind == SF_FIELD);
		break;
	case LR_FIELD:
		if (fv == NULL)
			break;
		if (!lo->stacked) {
			drawtext_marks(y, focused, error);
			drawrow_label(lo, r->text, y, lo->labelw, focused);
		}
		x = drawrow_box(dc, it, fv, y, focused);
		return focused ? x : -1;
	case LR_TOGGLE:
		if (fv == NULL)
			break;
		drawtext_marks(y, focused, error);
		if (focused)
			attron(theme_attr(THEME_FOCUS));
		mvaddstr(y, lo->boxx, fv->on ? "[x]" : "[ ]");
		attrset(A_NORMAL);
		drawtext_wcs(y, lo->boxx + 4, r->text,
		    lo->x0 + lo->width - lo->boxx - 4);
		return focused ? lo->boxx + 1 : -1;
	case LR_CHOICE:
		if (fv == NULL)
			break;
		return drawrow_choice(dc, r, y, focused, error);
	case LR_THEAD:
	case LR_TROW:
	case LR_TPAGER:
		return drawtable_row(dc, r, y);
	case LR_BUTTON:
		drawtext_marks(y, focused, false);
		if (focused)
			attron(theme_attr(THEME_FOCUS));
		mvaddstr(y, lo->x0, "[ ");
		x = lo->x0 + 2 + drawtext_wcs(y, lo->x0 + 2, r->text,
		    lo->width - 4);
		mvaddstr(y, x, " ]");
		attrset(A_NORMAL);
		return focused ? lo->x0 + 2 : -1;
	case LR_NOTE:
		drawtext_wcs(y, lo->boxx, r->text, lo->x0 + lo->width -
		    lo->boxx);
		break;
	case LR_ERROR:
		attron(theme_attr(THEME_ERROR));
		drawtext_wcs(y, lo->boxx, r->text, lo->x0 + lo->width -
		    lo->boxx);
		attrset(A_NORMAL);
		break;
	}
	return -1;
}
