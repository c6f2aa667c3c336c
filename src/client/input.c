/* Key, paste and resize events from curses. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "curses-wrap.h"
#include "input.h"
#include "tty.h"
#include "xmalloc.h"

/* A paste longer than this is cut: no field takes more. */
#define INPUT_PASTE_MAX 65536

/* Collect a bracketed paste up to ESC[201~; a terminal that never sends
 * the end marker ends it after a second of silence. */
static char *
input_paste(void)
{
	size_t cap = 256, n = 0;
	char *buf = xmalloc(cap);
	wint_t wc;
	int rc;

	timeout(1000);
	while ((rc = get_wch(&wc)) != ERR) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t len;

		if (rc == KEY_CODE_YES) {
			if (wc == TTY_KEY_PASTE_END)
				break;
			continue;
		}
		memset(&st, 0, sizeof st);
		if ((len = wcrtomb(mb, (wchar_t)wc, &st)) == (size_t)-1)
			continue;
		if (n + len + 1 > INPUT_PASTE_MAX)
			continue;
		if (n + len + 1 > cap) {
			char *nb = xmalloc(cap * 2);

			memcpy(nb, buf, n);
			wipe(buf, cap);
			free(buf);
			buf = nb;
			cap *= 2;
		}
		memcpy(buf + n, mb, len);
		n += len;
	}
	buf[n] = '\0';
	return buf;
}

/* A character a person could have typed into a field. */
static bool
input_printable(wint_t wc)
{
	return wc >= 0x20 && wc != 0x7f && !(wc >= 0x80 && wc < 0xa0);
}

/* Append one character to a growing UTF-8 buffer of *cap bytes. */
static void
input_append(char **buf, size_t *n, size_t *cap, wint_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t len;

	memset(&st, 0, sizeof st);
	if ((len = wcrtomb(mb, (wchar_t)wc, &st)) == (size_t)-1 ||
	    *n + len + 1 > INPUT_PASTE_MAX)
		return;
	if (*n + len + 1 > *cap) {
		char *nb = xmalloc(*cap * 2);

		memcpy(nb, *buf, *n);
		wipe(*buf, *cap);
		free(*buf);
		*buf = nb;
		*cap *= 2;
	}
	memcpy(*buf + *n, mb, len);
	*n += len;
}

/* The printable character first has just been read: if INPUT_BURST or
 * more are waiting together with it, take them all as one paste marked
 * typed (a terminal without bracketed paste delivers a paste so);
 * otherwise put the others back, in order, to be read one by one. */
static void
input_burst(struct input_event *ev, wint_t first)
{
	wint_t run[INPUT_BURST], wc;
	size_t nrun = 0, n = 0, cap = 256;
	char *buf = NULL;
	int rc;

	timeout(0);
	run[nrun++] = first;
	while ((rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES || !input_printable(wc)) {
			/* Put back what ended the run; the run goes back in
			 * front of it below, or is taken. */
			if (rc == KEY_CODE_YES)
				ungetch((int)wc);
			else
				unget_wch((wchar_t)wc);
			break;
		}
		if (nrun < INPUT_BURST) {
			run[nrun++] = wc;
			if (nrun < INPUT_BURST)
				continue;
			buf = xmalloc(cap);
			for (size_t i = 0; i < nrun; i++)
				input_append(&buf, &n, &cap, run[i]);
			continue;
		}
		input_append(&buf, &n, &cap, wc);
	}
	if (buf == NULL) {
		/* ncurses returns what was put back last first. */
		while (nrun > 1)
			unget_wch((wchar_t)run[--nrun]);
		wipe(run, sizeof run);
		return;
	}
	buf[n] = '\0';
	wipe(run, sizeof run);
	ev->kind = INPUT_PASTE;
	ev->paste = buf;
	ev->typed = true;
}

/* Swallow a burst of resizes (dialog dlg_will_resize): a window being
 * dragged sends many, and one re-layout is enough. */
static void
input_swallow_resizes(void)
{
	wint_t wc;
	int rc;

	timeout(50);
	while ((rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE)
			continue;
		if (rc == KEY_CODE_YES)
			ungetch((int)wc);
		else
			unget_wch((wchar_t)wc);
		break;
	}
}

/* Wait for one event. */
void
input_read(struct input_event *ev, int timeout_ms)
{
	wint_t wc;
	int rc;

	memset(ev, 0, sizeof *ev);
	timeout(timeout_ms);
	rc = get_wch(&wc);
	if (rc == ERR)
		return;
	if (rc == KEY_CODE_YES) {
		if (wc == KEY_RESIZE) {
			input_swallow_resizes();
			ev->kind = INPUT_RESIZE;
		} else if (wc == TTY_KEY_PASTE_BEGIN) {
			ev->kind = INPUT_PASTE;
			ev->paste = input_paste();
		} else if (wc == TTY_KEY_PASTE_END) {
			ev->kind = INPUT_NONE;
		} else {
			ev->kind = INPUT_KEY;
			ev->key = (int)wc;
		}
		return;
	}
	ev->kind = INPUT_CHAR;
	ev->ch = (wchar_t)wc;
	if (input_printable(wc))
		input_burst(ev, wc);
}

/* Free an event's paste, wiping it. */
void
input_free(struct input_event *ev)
{
	if (ev->paste != NULL)
		free_secret(&ev->paste);
}
