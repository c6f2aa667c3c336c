/* Dialogs over a screen. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses-wrap.h"
#include "dialog.h"
#include "i18n.h"
#include "text.h"
#include "theme.h"
#include "xmalloc.h"

/* Widest a dialog gets; it is centred on the screen. */
#define DIALOG_WIDTH 64

void
dialog_open(struct dialog *d, enum dialog_kind kind, time_t until)
{
	dialog_close(d);
	d->kind = kind;
	d->until = until;
	switch (kind) {
	case DIALOG_KIOSK_RESET:
		/* L10N: button of the kiosk's "about to reset" countdown. */
		d->button[0] = N_("Continue");
		d->nbuttons = 1;
		break;
	case DIALOG_IDLE_WARNING:
		/* 003 §2.6: [OK] extends, [Cancel] lets the logout happen,
		 * so it is labelled with what it means: draw_dialog fills
		 * in the time. */
		d->button[0] = N_("Extend");
		/* L10N: the idle warning's second button; %s is the time
		   of the automatic log-out (15:00). */
		d->button[1] = N_("Log out at %s");
		d->nbuttons = 2;
		break;
	case DIALOG_STAFF_EXIT:
		d->button[0] = N_("Exit");
		d->button[1] = N_("Cancel");
		d->nbuttons = 2;
		d->has_input = true;
		d->focus = -1;
		return;
	case DIALOG_HELP:
		d->button[0] = N_("Close");
		d->nbuttons = 1;
		break;
	case DIALOG_CONFIRM:
		/* 001 step 9: 「登録します。よろしいですか?」 OK / Cancel. */
		d->button[0] = N_("OK");
		d->button[1] = N_("Cancel");
		d->nbuttons = 2;
		break;
	case DIALOG_NONE:
		break;
	}
	d->focus = 0;
}

void
dialog_close(struct dialog *d)
{
	editbuf_free(&d->input);
	memset(d, 0, sizeof *d);
}

/* One line of a dialog, padded to its inner width. */
static void
dialog_line(int y, int x, int w, const wchar_t *ws)
{
	mvhline(y, x, ' ', w);
	if (ws != NULL) {
		wchar_t *vis = text_visible(ws, (long)text_fit(ws, w - 2));

		mvaddwstr(y, x + 1, vis);
		free(vis);
	}
}

void
dialog_draw(const struct dialog *d, const char *title, const char *text,
    const char *const *labels)
{
	struct text_lines tl;
	wchar_t *wtitle = text_widen(title);
	int w = COLS - 6 < DIALOG_WIDTH ? COLS - 6 : DIALOG_WIDTH;
	int h, y0, x0, y, cury = -1, curx = -1, bx;

	text_wrap(text, w - 4, &tl);
	h = (int)tl.n + 4 + (d->has_input ? 2 : 0) + (d->error ? 1 : 0);
	if (h > LINES - 4)
		h = LINES - 4;
	y0 = (LINES - h) / 2;
	x0 = (COLS - w) / 2;
	attron(theme_attr(THEME_TITLE));
	dialog_line(y0, x0, w, wtitle);
	attrset(A_NORMAL);
	y = y0 + 1;
	for (size_t i = 0; i < tl.n && y < y0 + h - 2; i++)
		dialog_line(y++, x0, w, tl.line[i]);
	if (d->has_input) {
		dialog_line(y++, x0, w, NULL);
		mvhline(y, x0, ' ', w);
		mvaddch(y, x0 + 1, '[');
		attron(theme_attr(d->focus < 0 ? THEME_FOCUS : THEME_FIELD));
		for (int i = 0; i < w - 4; i++)
			mvaddch(y, x0 + 2 + i,
			    (size_t)i < d->input.len ? '*' : '_');
		attrset(A_NORMAL);
		mvaddch(y, x0 + w - 2, ']');
		if (d->focus < 0) {
			cury = y;
			curx = x0 + 2 + (int)(d->input.len < (size_t)(w - 5) ?
			    d->input.len : (size_t)(w - 5));
		}
		y++;
	}
	if (d->error != NULL) {
		wchar_t *we;
		char *msg;

		xasprintf(&msg, "! %s", _(d->error));
		we = text_widen(msg);
		attron(theme_attr(THEME_ERROR));
		dialog_line(y++, x0, w, we);
		attrset(A_NORMAL);
		free(we);
		free(msg);
	}
	dialog_line(y++, x0, w, NULL);
	mvhline(y, x0, ' ', w);
	bx = x0 + 2;
	for (int i = 0; i < d->nbuttons; i++) {
		const char *label = labels != NULL && labels[i] != NULL ?
		    labels[i] : _(d->button[i]);

		if (i == d->focus) {
			mvaddch(y, bx - 1, '>' | theme_attr(THEME_MARK));
			attron(theme_attr(THEME_FOCUS));
			cury = y;
			curx = bx + 2;
		}
		mvaddstr(y, bx, "[ ");
		bx += 2;
		{
			wchar_t *wl = text_widen(label);
			wchar_t *vis = text_visible(wl, -1);

			mvaddwstr(y, bx, vis);
			bx += text_width_wcs(wl, -1);
			free(vis);
			free(wl);
		}
		mvaddstr(y, bx, " ]");
		bx += 4;
		attrset(A_NORMAL);
	}
	y++;
	mvhline(y, x0, ' ', w);
	/* A frame sets the dialog apart from the screen below it, in
	 * monochrome too. */
	mvaddch(y0 - 1, x0 - 1, ACS_ULCORNER);
	mvhline(y0 - 1, x0, ACS_HLINE, w);
	mvaddch(y0 - 1, x0 + w, ACS_URCORNER);
	mvvline(y0, x0 - 1, ACS_VLINE, y - y0 + 1);
	mvvline(y0, x0 + w, ACS_VLINE, y - y0 + 1);
	mvaddch(y + 1, x0 - 1, ACS_LLCORNER);
	mvhline(y + 1, x0, ACS_HLINE, w);
	mvaddch(y + 1, x0 + w, ACS_LRCORNER);
	text_lines_free(&tl);
	free(wtitle);
	if (cury >= 0)
		move(cury, curx);
}
