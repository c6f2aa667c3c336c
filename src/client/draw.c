/* Painting a frame. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curses-wrap.h"
#include "datefmt.h"
#include "draw.h"
#include "i18n.h"
#include "jsonutil.h"
#include "lang.h"
#include "layout.h"
#include "paging.h"
#include "text.h"
#include "theme.h"
#include "xmalloc.h"

/* Content starts here; columns 1 and 2 hold the focus and error marks. */
#define DRAW_X0 4
#define DRAW_FOCUS_COL 1
#define DRAW_ERROR_COL 2
/* Wider lines are hard to read; larger terminals get margins instead. */
#define DRAW_MAX_WIDTH 100
/* The message line may grow upwards this far for a long message. */
#define DRAW_MSG_ROWS 2

/* Where the hardware cursor goes after the frame. */
struct cursor {
	int y, x;
};

/* A table's column widths, measured once a frame (its rows are drawn one
 * after another) rather than once a row. */
struct table_cache {
	int item;		/* -1: nothing measured yet */
	int w[32];
};

/* True if the terminal is smaller than the screens are designed for. */
bool
draw_too_small(void)
{
	return COLS < DRAW_MIN_COLS || LINES < DRAW_MIN_LINES;
}

/* Draw at most cols columns of ws at y, x; returns the columns used.
 * Controls are drawn as ^X, in the columns text_fit counted for them. */
static int
draw_wcs(int y, int x, const wchar_t *ws, int cols)
{
	size_t n;

	if (cols <= 0 || ws == NULL)
		return 0;
	n = text_fit(ws, cols);
	if (n > 0) {
		wchar_t *vis = text_visible(ws, (long)n);

		mvaddwstr(y, x, vis);
		free(vis);
	}
	return text_width_wcs(ws, (long)n);
}

/* Draw UTF-8 s like draw_wcs. */
static int
draw_str(int y, int x, const char *s, int cols)
{
	wchar_t *ws = text_widen(s);
	int w = draw_wcs(y, x, ws, cols);

	free(ws);
	return w;
}

/* Title bar: service name left, screen title, language name right. */
static void
draw_title(struct engine *e, const struct view *v)
{
	const char *svc = e->sess->service_name != NULL ?
	    e->sess->service_name : PACKAGE_NAME;
	const char *lname = lang_own_name(e->sess->lang);
	char *title = layout_text(e->sess, &v->sc->title);
	int rw = text_width(lname), tw = text_width(title), lw, tx;

	attron(theme_attr(THEME_TITLE));
	mvhline(0, 0, ' ', COLS);
	draw_str(0, COLS - 1 - rw, lname, rw);
	lw = COLS - rw - tw - 6;
	lw = draw_str(0, 1, svc, lw);
	tx = (COLS - tw) / 2;
	if (tx < 1 + lw + 2)
		tx = 1 + lw + 2;
	attron(A_BOLD);
	draw_str(0, tx, title, COLS - 1 - rw - 1 - tx);
	attrset(A_NORMAL);
	free(title);
}

/* One row of a wizard's steps at y: the current step ("[3 Details]")
 * in bold. */
static void
draw_steps_row(int y, char *line, int cols)
{
	char *cur = strchr(line, '['), *end;
	int x = 1;

	if (cur == NULL) {
		draw_str(y, 1, line, cols);
		return;
	}
	end = strchr(cur, ']');
	*cur = '\0';
	x += draw_str(y, x, line, cols);
	*cur = '[';
	if (end != NULL)
		*end = '\0';
	attron(A_BOLD);
	x += draw_str(y, x, cur, cols - x + 1);
	if (end != NULL) {
		*end = ']';
		x += draw_str(y, x, "]", cols - x + 1);
		attrset(A_NORMAL);
		draw_str(y, x, end + 1, cols - x + 1);
	}
	attrset(A_NORMAL);
}

/* A wizard's steps under the title, every step named and the current
 * one in brackets and bold (000 ② shows all five names: a person sees
 * where they are and what comes).  When the names do not fit one row
 * (Japanese, Korean), they go on two; only when not even two hold them,
 * the numbers with the current step named, then "Step 3 of 5: Details".
 * Returns the rows used. */
static int
draw_steps(struct engine *e, const struct view *v)
{
	const struct sf_screen *sc = v->sc;
	char *rows[2] = { xstrdup(""), NULL }, *name;
	int cols = COLS - 2, used = 1;

	for (size_t i = 0; i < sc->nsteps; i++) {
		char *item, *next, **row = &rows[used - 1];
		bool here = (int)i + 1 == sc->step;

		name = layout_text(e->sess, &sc->steps[i]);
		xasprintf(&item, "%s%zu %s%s", here ? "[" : "", i + 1, name,
		    here ? "]" : "");
		free(name);
		xasprintf(&next, "%s%s%s", *row, **row != '\0' ? "  " : "",
		    item);
		if (text_width(next) > cols && **row != '\0' && used < 2) {
			/* The rest on the second row. */
			free(next);
			rows[used++] = item;
			continue;
		}
		free(*row);
		*row = next;
		free(item);
	}
	if (text_width(rows[0]) > cols || (rows[1] != NULL &&
	    text_width(rows[1]) > cols)) {
		/* Too long even on two rows: numbers only, the current
		 * step named ("1  2  [3 利用者情報の入力]  4  5"). */
		name = layout_text(e->sess, &sc->steps[sc->step - 1]);
		free(rows[0]);
		free(rows[1]);
		rows[1] = NULL;
		used = 1;
		rows[0] = xstrdup("");
		for (size_t i = 0; i < sc->nsteps; i++) {
			char *next;
			bool here = (int)i + 1 == sc->step;

			if (here)
				xasprintf(&next, "%s%s[%zu %s]", rows[0],
				    i > 0 ? "  " : "", i + 1, name);
			else
				xasprintf(&next, "%s%s%zu", rows[0],
				    i > 0 ? "  " : "", i + 1);
			free(rows[0]);
			rows[0] = next;
		}
		if (text_width(rows[0]) > cols) {
			free(rows[0]);
			/* L10N: a wizard's progress when the steps do not
			   fit. */
			xasprintf(&rows[0], _("Step %d of %zu: %s"), sc->step,
			    sc->nsteps, name);
		}
		free(name);
	}
	for (int r = 0; r < used; r++) {
		draw_steps_row(1 + r, rows[r], cols);
		free(rows[r]);
	}
	return used;
}

/* The text of the message line (malloc'd), or NULL for none. */
static char *
draw_message_text(struct engine *e, const struct view *v)
{
	static const char spinner[] = "|/-\\";
	char *msg = NULL, *out;

	if (e->busy) {
		/* L10N: shown while a request runs; Esc is the key. */
		xasprintf(&out, "%c %s", spinner[e->spin % 4],
		    _("Connecting to the service… Esc cancels"));
		return out;
	}
	if (v->focus >= 0 && v->sc->item[v->focus].kind == SF_FIELD) {
		const struct sf_item *it = &v->sc->item[v->focus];
		struct fieldval *fv = store_get(e->store, v->sc->id, it->name);

		if (fv->err != ERR_NONE) {
			char *label = layout_text(e->sess, &it->text);

			msg = errmsg_text(fv->err, &fv->params, label);
			free(label);
		}
	}
	if (msg == NULL && e->msg.code != ERR_NONE)
		msg = errmsg_text(e->msg.code, &e->msg.params, NULL);
	if (msg != NULL) {
		xasprintf(&out, "! %s", msg);
		free(msg);
		return out;
	}
	if (e->msg.status != NULL && e->msg.status_error) {
		xasprintf(&out, "! %s", _(e->msg.status));
		return out;
	}
	if (e->msg.status != NULL)
		return xstrdup(_(e->msg.status));
	return NULL;
}

/* One key and what it does, for the key bar.  keep: the lower, the
 * sooner it is left off when the bar does not fit. */
struct keyhint {
	const char *key;
	const char *what;
	int keep;
};

/* Columns the hints take with two blanks between them. */
static int
draw_keybar_width(const struct keyhint *h, int n)
{
	int w = 0;

	for (int i = 0; i < n; i++)
		w += (i > 0 ? 2 : 0) + text_width(h[i].key) + 1 +
		    text_width(h[i].what);
	return w;
}

/* Key bar: only the keys that work on this screen; every function key
 * has a Ctrl alternative for terminals that send no F-keys.  When a
 * language's words do not all fit, the keys every person knows (Tab,
 * Enter) and Quit go first; Help and Language always stay, so that a
 * person who cannot read the screen still finds the way to a language
 * they can. */
static void
draw_keybar(struct engine *e, const struct view *v)
{
	struct keyhint h[10];
	int n = 0, x = 1, focusable = 0;
	bool toggle = false;

	for (size_t i = 0; i < v->sc->nitems; i++) {
		const struct sf_item *it = &v->sc->item[i];

		if (it->kind != SF_TEXT)
			focusable++;
		if (it->kind == SF_FIELD && it->fkind == SF_FIELD_TOGGLE)
			toggle = true;
	}
	/* L10N: key bar; keep these short: the bar is one 80-column line
	   and what does not fit is left off, Quit, Move and Select first. */
	if (focusable > 1)
		h[n++] = (struct keyhint){ "Tab", _("Move"), 1 };
	if (focusable > 0)
		h[n++] = (struct keyhint){ "Enter", _("Select"), 2 };
	if (toggle)
		h[n++] = (struct keyhint){ "Space", _("Toggle"), 3 };
	if (v->focus >= 0 && v->sc->item[v->focus].kind == SF_TABLE &&
	    !v->sc->item[v->focus].nopager)
		h[n++] = (struct keyhint){ "Left/Right", _("Page"), 4 };
	if (strcmp(v->sc->back, "none") != 0 &&
	    (strcmp(v->sc->back, "previous") != 0 || e->depth > 1))
		h[n++] = (struct keyhint){ "Esc", _("Back"), 5 };
	h[n++] = (struct keyhint){ "F1/^O", _("Help"), 6 };
	if (screenfile_find(e->set, "language") != NULL &&
	    strcmp(v->sc->id, "language") != 0)
		h[n++] = (struct keyhint){ "F2/^G", _("Language"), 7 };
	if (!e->sess->kiosk)
		h[n++] = (struct keyhint){ "^C", _("Quit"), 0 };
	while (n > 0 && x + draw_keybar_width(h, n) > COLS - 1) {
		int drop = 0;

		for (int i = 1; i < n; i++) {
			if (h[i].keep < h[drop].keep)
				drop = i;
		}
		memmove(&h[drop], &h[drop + 1], (size_t)(n - drop - 1) *
		    sizeof h[0]);
		n--;
	}
	for (int i = 0; i < n; i++) {
		attron(theme_attr(THEME_KEY));
		x += draw_str(LINES - 1, x, h[i].key, COLS - x);
		attrset(A_NORMAL);
		x += 1;
		x += draw_str(LINES - 1, x, h[i].what, COLS - x);
		x += 2;
	}
}

/* True if a password field is shown in clear by its toggle. */
static bool
draw_unmasked(struct engine *e, const struct sf_screen *sc,
    const struct sf_item *field)
{
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];

		if (it->kind == SF_FIELD && it->fkind == SF_FIELD_TOGGLE &&
		    it->for_field != NULL &&
		    strcmp(it->for_field, field->name) == 0)
			return store_get(e->store, sc->id, it->name)->on;
	}
	return false;
}

/* The box of a text or password field: "[value____]"; returns the
 * cursor column. */
static int
draw_box(struct engine *e, const struct layout *lo, const struct sf_screen *sc,
    const struct sf_item *it, int y, bool focused)
{
	struct fieldval *fv = store_get(e->store, sc->id, it->name);
	struct editbuf *eb = &fv->eb;
	bool mask = it->fkind == SF_FIELD_PASSWORD &&
	    !draw_unmasked(e, sc, it);
	int x = lo->boxx + 1, used = 0, curx = x;

	editbuf_fit(eb, lo->boxw, mask);
	if (it->fkind == SF_FIELD_READONLY) {
		/* Shown as text, not as a box one could type into. */
		if (focused)
			attron(theme_attr(THEME_FOCUS));
		draw_wcs(y, lo->boxx, eb->s, lo->width - (lo->boxx - lo->x0));
		attrset(A_NORMAL);
		return lo->boxx;
	}
	mvaddch(y, lo->boxx, '[');
	attron(theme_attr(focused ? THEME_FOCUS : THEME_FIELD));
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
	mvaddch(y, x + lo->boxw, ']');
	return curx;
}

/* Focus and error marks in the left margin of an item's first row. */
static void
draw_marks(int y, bool focused, bool error)
{
	if (focused)
		mvaddch(y, DRAW_FOCUS_COL, '>' | theme_attr(THEME_MARK));
	if (error)
		mvaddch(y, DRAW_ERROR_COL, '!' | theme_attr(THEME_ERROR));
}

/* The text of one table cell (malloc'd): the member formatted, or its
 * mapped label. */
static char *
draw_cell(struct engine *e, const struct sf_column *col, const cJSON *row)
{
	char buf[256];
	const char *v = session_format(row, col->key, buf, sizeof buf);

	if (v == NULL)
		return xstrdup("-");
	for (size_t m = 0; m < col->nmap; m++) {
		if (strcmp(col->map[m].value, v) == 0)
			return layout_text(e->sess, &col->map[m].text);
	}
	return xstrdup(v);
}

/* Column widths for a table in width columns: as wide as the widest
 * cell or heading.  When they do not all fit, headings wider than their
 * cells are cut first (a certificate number must show whole; a heading
 * is the same on every row), then the widest columns. */
static void
draw_table_widths(struct engine *e, const struct sf_item *it,
    const cJSON *items, int width, int *w)
{
	int total = 0, n = cJSON_GetArraySize(items), dw[32];

	for (size_t c = 0; c < it->ncol; c++) {
		char *t = layout_text(e->sess, &it->col[c].title);

		w[c] = text_width(t);
		free(t);
		dw[c] = 1;
		for (int r = 0; r < n; r++) {
			char *cell = draw_cell(e, &it->col[c],
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

/* One row of a table: headings, a data row, or the page line. */
static void
draw_table_row(struct engine *e, const struct view *v,
    const struct layout *lo, const struct lrow *r, int y, struct cursor *cur,
    struct table_cache *tc)
{
	const struct sf_item *it = &v->sc->item[r->item];
	const cJSON *page = cJSON_GetObjectItemCaseSensitive(e->sess->vars,
	    it->name);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(page, "items");
	struct fieldval *fv = store_get(e->store, v->sc->id, it->name);
	bool focused = r->item == v->focus;
	int *w = tc->w, x = lo->x0;

	if (it->ncol > 32)
		return;
	if (tc->item != r->item) {
		draw_table_widths(e, it, items, lo->width, tc->w);
		tc->item = r->item;
	}
	if (r->kind == LR_THEAD) {
		attron(A_BOLD);
		for (size_t c = 0; c < it->ncol; c++) {
			char *t = layout_text(e->sess, &it->col[c].title);

			draw_str(y, x, t, w[c]);
			free(t);
			x += w[c] + 2;
		}
		attrset(A_NORMAL);
		if (focused && cJSON_GetArraySize(items) == 0) {
			cur->y = y;
			cur->x = lo->x0;
		}
	} else if (r->kind == LR_TROW) {
		const cJSON *row = cJSON_GetArrayItem(items, r->sub);
		bool sel = focused && r->sub == fv->row;

		if (sel) {
			draw_marks(y, true, false);
			attron(theme_attr(THEME_FOCUS));
			mvhline(y, lo->x0, ' ', lo->width);
			cur->y = y;
			cur->x = lo->x0;
		}
		for (size_t c = 0; c < it->ncol; c++) {
			char *cell = draw_cell(e, &it->col[c], row);

			draw_str(y, x, cell, w[c]);
			free(cell);
			x += w[c] + 2;
		}
		attrset(A_NORMAL);
	} else {
		/* 003 §5: which page of how many, the page numbers with the
		 * current one marked, and the rows per page.  Only an answer
		 * whose numbers are in range and add up is kept
		 * (engine_table_load); before one, all are 0. */
		struct paging pg;
		int pages, total;
		char *line, *nums = xstrdup(""), *next;

		paging_read(page, &pg);
		pages = pg.pages;
		total = pg.total;

		for (int p = 1; p <= pages && p <= 9; p++) {
			xasprintf(&next, p == fv->page ? "%s [%d]" : "%s %d",
			    nums, p);
			free(nums);
			nums = next;
		}
		if (pages > 9) {
			xasprintf(&next, "%s …", nums);
			free(nums);
			nums = next;
		}
		xasprintf(&line, _("Page %d of %d (%d in all, %d a page):%s"),
		    pages > 0 ? fv->page : 0, pages, total, pg.per_page, nums);
		draw_str(y, lo->x0, line, lo->width);
		free(line);
		free(nums);
	}
}

/* One content row at screen row y. */
static void
draw_row(struct engine *e, const struct view *v, const struct layout *lo,
    const struct lrow *r, int y, struct cursor *cur, struct table_cache *tc)
{
	const struct sf_screen *sc = v->sc;
	const struct sf_item *it = r->item >= 0 ? &sc->item[r->item] : NULL;
	bool focused = r->item >= 0 && r->item == v->focus;
	bool error = false;
	int x;

	if (it != NULL && it->kind == SF_FIELD)
		error = store_get(e->store, sc->id, it->name)->err != ERR_NONE;
	switch (r->kind) {
	case LR_BLANK:
		break;
	case LR_TEXT:
		draw_wcs(y, lo->x0, r->text, lo->width);
		break;
	case LR_LABEL:
		draw_marks(y, focused, error);
		draw_wcs(y, lo->x0, r->text, lo->width);
		break;
	case LR_FIELD:
		if (!lo->stacked) {
			draw_marks(y, focused, error);
			draw_wcs(y, lo->x0, r->text, lo->labelw);
		}
		x = draw_box(e, lo, sc, it, y, focused);
		if (focused) {
			cur->y = y;
			cur->x = x;
		}
		break;
	case LR_TOGGLE:
		draw_marks(y, focused, error);
		if (focused)
			attron(theme_attr(THEME_FOCUS));
		mvaddstr(y, lo->boxx, store_get(e->store, sc->id, it->name)->on ?
		    "[x]" : "[ ]");
		attrset(A_NORMAL);
		draw_wcs(y, lo->boxx + 4, r->text,
		    lo->x0 + lo->width - lo->boxx - 4);
		if (focused) {
			cur->y = y;
			cur->x = lo->boxx + 1;
		}
		break;
	case LR_CHOICE: {
		struct fieldval *fv = store_get(e->store, sc->id, it->name);
		const char *chosen = NULL;
		char *val = editbuf_utf8(&fv->eb);
		bool on = strcmp(val, it->opt[r->sub].value) == 0;
		bool first = r->sub == 0;

		for (size_t o = 0; o < it->nopt; o++) {
			if (strcmp(val, it->opt[o].value) == 0)
				chosen = it->opt[o].value;
		}
		free(val);
		if (first && r->label != NULL) {
			draw_marks(y, focused, error);
			draw_wcs(y, lo->x0, r->label, lo->labelw);
		}
		if (focused && (on || (chosen == NULL && first)))
			attron(theme_attr(THEME_FOCUS));
		mvaddstr(y, lo->boxx, on ? "(*)" : "( )");
		attrset(A_NORMAL);
		draw_wcs(y, lo->boxx + 4, r->text,
		    lo->x0 + lo->width - lo->boxx - 4);
		/* The cursor on the chosen answer, or the first when none
		 * is chosen yet. */
		if (focused && (on || (chosen == NULL && first))) {
			cur->y = y;
			cur->x = lo->boxx + 1;
		}
		break;
	}
	case LR_THEAD:
	case LR_TROW:
	case LR_TPAGER:
		draw_table_row(e, v, lo, r, y, cur, tc);
		break;
	case LR_BUTTON:
		draw_marks(y, focused, false);
		if (focused)
			attron(theme_attr(THEME_FOCUS));
		mvaddstr(y, lo->x0, "[ ");
		x = lo->x0 + 2 + draw_wcs(y, lo->x0 + 2, r->text, lo->width - 4);
		mvaddstr(y, x, " ]");
		if (focused) {
			attrset(A_NORMAL);
			cur->y = y;
			cur->x = lo->x0 + 2;
		}
		break;
	case LR_NOTE:
		draw_wcs(y, lo->boxx, r->text, lo->x0 + lo->width - lo->boxx);
		break;
	case LR_ERROR:
		attron(theme_attr(THEME_ERROR));
		draw_wcs(y, lo->boxx, r->text, lo->x0 + lo->width - lo->boxx);
		attrset(A_NORMAL);
		break;
	}
}

/* Scroll so that the focused item's rows are all visible. */
static void
draw_scroll(struct engine *e, struct view *v, const struct layout *lo,
    int height)
{
	int first, last, maxtop = (int)lo->n - height;

	if (maxtop < 0)
		maxtop = 0;
	if (v->focus >= 0 && !v->scrolled) {
		layout_item_rows(lo, v->focus, &first, &last);
		/* In a long table it is the chosen row that must show. */
		if (v->sc->item[v->focus].kind == SF_TABLE) {
			int sel = store_get(e->store, v->sc->id,
			    v->sc->item[v->focus].name)->row;

			for (size_t r = 0; r < lo->n; r++) {
				if (lo->row[r].item == v->focus &&
				    lo->row[r].kind == LR_TROW &&
				    lo->row[r].sub == sel)
					last = (int)r;
			}
			/* The page line and headings too, while they fit. */
			if (last - first >= height)
				first = last;
		}
		if (first >= 0) {
			/* Show the blank or text row just above, too. */
			int want = first > 0 ? first - 1 : first;

			if (want < v->top)
				v->top = want;
			if (last >= v->top + height)
				v->top = last - height + 1;
		}
	}
	if (v->top > maxtop)
		v->top = maxtop;
	if (v->top < 0)
		v->top = 0;
}

/* The "window too small" notice, until the terminal is enlarged. */
static void
draw_small(void)
{
	struct text_lines tl;
	char *msg;
	int y = 0, x = 0;

	xasprintf(&msg, "%s (%dx%d)",
	    _("The window is too small: 80x24 is needed"), COLS, LINES);
	text_wrap(msg, COLS > 1 ? COLS - 1 : 1, &tl);
	for (size_t i = 0; i < tl.n && (int)i < LINES; i++) {
		x = draw_wcs((int)i, 0, tl.line[i], COLS - 1);
		y = (int)i;
	}
	text_lines_free(&tl);
	free(msg);
	move(y, x < COLS ? x : COLS - 1);
}

/* True if the screen shows a field marked as required. */
static bool
draw_has_marked(struct engine *e, const struct sf_screen *sc)
{
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];

		if (layout_marked(it) && (it->cond == NULL ||
		    session_cond(e->sess, it->cond)))
			return true;
	}
	return false;
}

/* The open dialog's title and body, translated now. */
static void
draw_dialog(struct engine *e)
{
	const struct dialog *d = &e->dialog;
	long secs = (long)(d->until - time(NULL));
	char *text = NULL, when[64] = "";
	const char *title = "";
	const char *labels[DIALOG_MAX_BUTTONS] = { NULL };
	char *logout_at = NULL;
	struct tm tm;

	if (secs < 0)
		secs = 0;
	switch (d->kind) {
	case DIALOG_KIOSK_RESET:
		title = _("Are you still there?");
		xasprintf(&text, ngettext(
		    "No key has been pressed for a while. In %ld second this terminal starts again from the beginning and everything entered is erased. Press any key to continue.",
		    "No key has been pressed for a while. In %ld seconds this terminal starts again from the beginning and everything entered is erased. Press any key to continue.",
		    secs), secs);
		break;
	case DIALOG_IDLE_WARNING:
		title = _("Automatic log-out");
		if (localtime_r(&d->until, &tm) != NULL)
			/* L10N: strftime format of the log-out time. */
			datefmt(when, sizeof when, _("%H:%M"), &tm);
		/* 003 §2.6: the time of the log-out, and [OK] extends by the
		 * full limit. */
		{
			char how_long[64];

			session_duration(e->sess->idle_timeout, how_long,
			    sizeof how_long);
			xasprintf(&text, _("There has been no activity, so you will be logged out at %s. Choose Extend to stay logged in for another %s."),
			    when, how_long);
		}
		/* Not "Cancel": what it does is let the log-out come. */
		xasprintf(&logout_at, _("Log out at %s"), when);
		labels[1] = logout_at;
		break;
	case DIALOG_HELP: {
		char *own = e->stack[e->depth - 1].sc->help.s != NULL ?
		    layout_text(e->sess, &e->stack[e->depth - 1].sc->help) :
		    xstrdup("");

		title = _("Help");
		if (draw_has_marked(e, e->stack[e->depth - 1].sc)) {
			char *more;

			/* L10N: explains the mark of layout's "%s *". */
			xasprintf(&more, "%s%s%s", own, *own != '\0' ?
			    "\n\n" : "",
			    _("Items marked * must be filled in."));
			free(own);
			own = more;
		}
		/* L10N: the keys of every screen, one per line; keep the
		   key names, translate what they do. */
		xasprintf(&text, "%s%s%s", own, *own != '\0' ? "\n\n" : "",
		    _("Tab, Down: next item\nShift-Tab, Up: previous item\nEnter: choose, or go to the next field\nSpace: tick or untick\nEsc: back\nF2 or Ctrl-G: language\nF1 or Ctrl-O: this help\nCtrl-L: redraw the screen"));
		free(own);
		break;
	}
	case DIALOG_CONFIRM: {
		const struct sf_item *it =
		    &e->stack[e->depth - 1].sc->item[d->item];

		title = _("Confirm");
		text = layout_text(e->sess, &it->confirm);
		break;
	}
	case DIALOG_STAFF_EXIT:
		title = _("Staff exit");
		text = xstrdup(_("Enter the staff code to leave kiosk mode, or press Esc."));
		break;
	case DIALOG_NONE:
		return;
	}
	dialog_draw(d, title, text, labels);
	free(logout_at);
	free(text);
}

/* Repaint everything, leave the cursor on the focused item, refresh. */
void
draw_frame(struct engine *e)
{
	struct view *v = engine_top(e);
	struct layout lo;
	struct text_lines ml = { NULL, 0 };
	struct cursor cur = { -1, -1 };
	struct table_cache tc = { .item = -1 };
	char *msg;
	int msgrows, height, width, y, top0 = 2;

	erase();
	if (draw_too_small()) {
		draw_small();
		refresh();
		return;
	}
	draw_title(e, v);
	/* Content starts on row 2, under a blank row or a wizard's
	 * steps; one row lower when the steps take two. */
	if (v->sc->nsteps > 0)
		top0 = 1 + draw_steps(e, v);
	if ((msg = draw_message_text(e, v)) != NULL) {
		text_wrap(msg, COLS - 2, &ml);
		free(msg);
	}
	msgrows = ml.n > 1 ? (ml.n > DRAW_MSG_ROWS ? DRAW_MSG_ROWS :
	    (int)ml.n) : 1;
	for (int i = 0; i < msgrows && (size_t)i < ml.n; i++) {
		int row = LINES - 1 - msgrows + i;

		if (ml.line[0][0] == L'!')
			attron(theme_attr(THEME_ERROR));
		draw_wcs(row, 1, ml.line[i], COLS - 2);
		attrset(A_NORMAL);
	}
	text_lines_free(&ml);

	height = LINES - 1 - msgrows - top0;
	width = COLS - DRAW_X0 - 2;
	if (width > DRAW_MAX_WIDTH)
		width = DRAW_MAX_WIDTH;
	layout_build(&lo, v->sc, e->sess, e->store, DRAW_X0, width);
	draw_scroll(e, v, &lo, height);
	for (y = 0; y < height && v->top + y < (int)lo.n; y++)
		draw_row(e, v, &lo, &lo.row[v->top + y], top0 + y, &cur, &tc);
	/* Marks that more rows lie above or below. */
	if (v->top > 0)
		mvaddch(top0, 0, '^' | theme_attr(THEME_MARK));
	if (v->top + height < (int)lo.n)
		mvaddch(top0 + height - 1, 0, 'v' | theme_attr(THEME_MARK));
	layout_free(&lo);
	draw_keybar(e, v);

	/* The cursor stays where a screen reader should read: the focused
	 * item; the first row shown after paging away from it; or the
	 * message line when nothing can take focus. */
	if (cur.y < 0 && v->scrolled) {
		cur.y = top0;
		cur.x = DRAW_X0;
	} else if (cur.y < 0) {
		cur.y = LINES - 1 - msgrows;
		cur.x = 1;
	}
	move(cur.y, cur.x);
	/* A dialog covers the screen and takes the cursor. */
	if (e->dialog.kind != DIALOG_NONE)
		draw_dialog(e);
	refresh();
}
