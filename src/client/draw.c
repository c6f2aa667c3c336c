/* Painting a frame: each screen row gets a fingerprint of everything it
 * shows, and only the rows whose fingerprint changed are drawn again. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses-wrap.h"
#include "drawchrome.h"
#include "drawctx.h"
#include "drawdialog.h"
#include "drawrow.h"
#include "drawtext.h"
#include "hash.h"
#include "i18n.h"
#include "theme.h"
#include "xmalloc.h"

/* Wider lines are hard to read; larger terminals get margins instead. */
#define DRAW_MAX_WIDTH 100
/* The message line may grow upwards this far for a long message. */
#define DRAW_MSG_ROWS 2

/* What a screen row is, mixed into its fingerprint. */
enum draw_role {
	DRAW_TITLE = 1,
	DRAW_STEPS,
	DRAW_GAP,
	DRAW_CONTENT,
	DRAW_EMPTY,
	DRAW_MESSAGE,
	DRAW_KEYBAR
};

bool
draw_too_small(void)
{
	return COLS < DRAW_MIN_COLS || LINES < DRAW_MIN_LINES;
}

void
draw_invalidate(struct frame *f)
{
	for (int y = 0; y < f->rows; y++) {
		f->sig[y] = 0;
		f->curx[y] = -1;
	}
	free(f->msgtext);
	f->msgtext = NULL;
	text_lines_free(&f->msglines);
}

void
draw_free(struct frame *f)
{
	layout_cache_free(&f->lc);
	free(f->msgtext);
	text_lines_free(&f->msglines);
	free(f->sig);
	free(f->curx);
	memset(f, 0, sizeof *f);
}

/* One fingerprint and one cursor column for every row of the screen. */
static void
draw_size(struct frame *f)
{
	if (f->rows == LINES)
		return;
	f->sig = xreallocarray(f->sig, (size_t)LINES, sizeof *f->sig);
	f->curx = xreallocarray(f->curx, (size_t)LINES, sizeof *f->curx);
	f->rows = LINES;
	draw_invalidate(f);
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
		x = drawtext_wcs((int)i, 0, tl.line[i], COLS - 1);
		y = (int)i;
	}
	text_lines_free(&tl);
	free(msg);
	move(y, x < COLS ? x : COLS - 1);
}

/* Scroll so that the focused item's rows are all visible. */
static void
draw_scroll(const struct frame *f, struct scene *s, const struct layout *lo,
    int height)
{
	int first, last, maxtop = (int)lo->n - height;

	if (maxtop < 0)
		maxtop = 0;
	if (s->focus >= 0 && !s->scrolled) {
		layout_item_rows(lo, s->focus, &first, &last);
		/* In a long table it is the chosen row that must show. */
		if (s->sc->item[s->focus].kind == SF_TABLE) {
			const struct fieldval *fv = layout_cache_value(&f->lc,
			    s->focus);
			int sel = fv != NULL ? fv->row : 0;

			for (size_t r = 0; r < lo->n; r++) {
				if (lo->row[r].item == s->focus &&
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

			if (want < s->top)
				s->top = want;
			if (last >= s->top + height)
				s->top = last - height + 1;
		}
	}
	if (s->top > maxtop)
		s->top = maxtop;
	if (s->top < 0)
		s->top = 0;
}

/* The message line wrapped to the screen, wrapped again only when its
 * text changed; returns the rows it takes. */
static int
draw_message_lines(struct frame *f, char *msg)
{
	size_t n;

	if (msg == NULL ? f->msgtext != NULL : f->msgtext == NULL ||
	    strcmp(msg, f->msgtext) != 0) {
		text_lines_free(&f->msglines);
		if (msg != NULL)
			text_wrap(msg, COLS - 2, &f->msglines);
		free(f->msgtext);
		f->msgtext = msg != NULL ? xstrdup(msg) : NULL;
	}
	free(msg);
	n = f->msglines.n;
	return n > 1 ? (n > DRAW_MSG_ROWS ? DRAW_MSG_ROWS : (int)n) : 1;
}

/* The fingerprint of message row i. */
static uint64_t
draw_message_sig(const struct frame *f, int i)
{
	uint64_t h = hash_int(HASH_INIT, DRAW_MESSAGE);
	const wchar_t *line;

	if ((size_t)i >= f->msglines.n)
		return h;
	line = f->msglines.line[i];
	h = hash_int(h, f->msglines.line[0][0] == L'!');
	return hash_bytes(h, line, wcslen(line) * sizeof *line);
}

/* Draw message row i at y. */
static void
draw_message_row(const struct frame *f, int i, int y)
{
	if ((size_t)i >= f->msglines.n)
		return;
	if (f->msglines.line[0][0] == L'!')
		attron(theme_attr(THEME_ERROR));
	drawtext_wcs(y, 1, f->msglines.line[i], COLS - 2);
	attrset(A_NORMAL);
}

/* Where the rows of this frame go. */
struct draw_plan {
	int top0;		/* first content row */
	int height;		/* content rows */
	int msg0;		/* first message row */
};

/* The fingerprint of screen row y. */
static uint64_t
draw_sig(const struct frame *f, const struct drawctx *dc,
    const struct draw_plan *p, int y)
{
	const struct scene *s = dc->s;
	const struct layout *lo = dc->lo;
	uint64_t h = HASH_INIT, built = f->lc.builds;

	if (y == 0)
		return hash_int(hash_int(h, DRAW_TITLE), (long long)built);
	if (y < p->top0 && lo->nsteps > 0)
		return hash_int(hash_int(hash_int(h, DRAW_STEPS),
		    (long long)built), y);
	if (y < p->top0)
		return hash_int(h, DRAW_GAP);
	if (y < p->top0 + p->height) {
		int r = s->top + (y - p->top0);
		bool up = y == p->top0 && s->top > 0;
		bool down = y == p->top0 + p->height - 1 &&
		    s->top + p->height < (int)lo->n;

		h = hash_int(hash_int(hash_int(h, up), down), r);
		if (r >= (int)lo->n)
			return hash_int(h, DRAW_EMPTY);
		h = hash_int(hash_int(h, DRAW_CONTENT), (long long)built);
		return drawrow_sig(dc, &lo->row[r], h);
	}
	if (y < LINES - 1)
		return draw_message_sig(f, y - p->msg0);
	h = hash_int(hash_int(h, DRAW_KEYBAR), (long long)built);
	return drawchrome_keybar_sig(s, h);
}

/* Draw screen row y (already cleared); returns the cursor column it
 * holds, or -1. */
static int
draw_row(const struct frame *f, struct drawctx *dc,
    const struct draw_plan *p, int y)
{
	const struct scene *s = dc->s;
	const struct layout *lo = dc->lo;
	int r, curx;

	if (y == 0) {
		drawchrome_title(s);
		return -1;
	}
	if (y < p->top0) {
		if (y - 1 < lo->nsteps)
			drawchrome_steps(y, lo->steps[y - 1], COLS - 2);
		return -1;
	}
	if (y >= p->top0 + p->height) {
		if (y < LINES - 1)
			draw_message_row(f, y - p->msg0, y);
		else
			drawchrome_keybar(s);
		return -1;
	}
	r = s->top + (y - p->top0);
	curx = r < (int)lo->n ? drawrow(dc, &lo->row[r], y) : -1;
	/* Marks that more rows lie above or below. */
	if (y == p->top0 && s->top > 0)
		mvaddch(y, 0, '^' | theme_attr(THEME_MARK));
	if (y == p->top0 + p->height - 1 && s->top + p->height < (int)lo->n)
		mvaddch(y, 0, 'v' | theme_attr(THEME_MARK));
	return curx;
}

/* What makes every row look different: size, language, colours, and a
 * dialog over the screen. */
static uint64_t
draw_look(const struct scene *s)
{
	uint64_t h = HASH_INIT;
	const char *theme = theme_current();

	h = hash_int(h, COLS);
	h = hash_int(h, LINES);
	h = hash_bytes(h, &s->ph->sess->lang, sizeof s->ph->sess->lang);
	h = hash_bytes(h, &theme, sizeof theme);
	return hash_int(h, s->dialog->kind != DIALOG_NONE);
}

void
draw_frame(struct frame *f, struct scene *s)
{
	struct draw_plan p;
	struct drawctx dc;
	uint64_t look;
	int width, cury = -1, curx = -1, msgrows;

	if (draw_too_small()) {
		erase();
		draw_small();
		refresh();
		f->look = 0;
		return;
	}
	draw_size(f);
	look = draw_look(s);
	/* Under a dialog every row is drawn again: the dialog covers
	 * some, and draws itself over all of them. */
	if (look != f->look || s->dialog->kind != DIALOG_NONE) {
		draw_invalidate(f);
		f->look = look;
	}
	width = COLS - DRAW_X0 - 2;
	if (width > DRAW_MAX_WIDTH)
		width = DRAW_MAX_WIDTH;
	memset(&dc, 0, sizeof dc);
	dc.s = s;
	dc.lc = &f->lc;
	dc.tw.item = -1;
	dc.lo = layout_cache_get(&f->lc, s->sc, s->ph, DRAW_X0, width, COLS,
	    s->serial);
	/* Content starts on row 2, under a blank row or a wizard's steps;
	 * one row lower when the steps take two. */
	p.top0 = 1 + (dc.lo->nsteps > 1 ? dc.lo->nsteps : 1);
	msgrows = draw_message_lines(f, drawchrome_message(s,
	    layout_cache_value(&f->lc, s->focus)));
	p.msg0 = LINES - 1 - msgrows;
	p.height = p.msg0 - p.top0;
	draw_scroll(f, s, dc.lo, p.height);
	for (int y = 0; y < LINES; y++) {
		uint64_t h = draw_sig(f, &dc, &p, y);

		if (h == f->sig[y])
			continue;
		move(y, 0);
		clrtoeol();
		f->curx[y] = draw_row(f, &dc, &p, y);
		f->sig[y] = h;
	}
	/* The cursor stays where a screen reader should read: the focused
	 * item; the first row shown after paging away from it; or the
	 * message line when nothing can take focus. */
	for (int y = p.top0; y < p.top0 + p.height && cury < 0; y++) {
		if (f->curx[y] >= 0) {
			cury = y;
			curx = f->curx[y];
		}
	}
	if (cury < 0 && s->scrolled) {
		cury = p.top0;
		curx = DRAW_X0;
	} else if (cury < 0) {
		cury = p.msg0;
		curx = 1;
	}
	move(cury, curx);
	/* A dialog covers the screen and takes the cursor. */
	if (s->dialog->kind != DIALOG_NONE)
		drawdialog(s);
	refresh();
}
