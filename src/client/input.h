/* Reading what the person types: keys, characters (CJK included),
 * a bracketed paste as one event, and bursts of resizes as one. */
#ifndef MADOGUCHI_INPUT_H
#define MADOGUCHI_INPUT_H

#include <stdbool.h>
#include <wchar.h>

enum input_kind {
	INPUT_NONE,		/* timeout */
	INPUT_KEY,		/* a curses KEY_* code in .key */
	INPUT_CHAR,		/* a character or control code in .ch */
	INPUT_PASTE,		/* pasted UTF-8 in .paste (malloc'd) */
	INPUT_RESIZE,		/* the window changed size */
};

struct input_event {
	enum input_kind kind;
	int key;
	wchar_t ch;
	char *paste;
	bool typed;		/* INPUT_PASTE: not a bracketed paste but keys
				   that arrived together, faster than anyone
				   types (INPUT_BURST or more at once) */
};

/* This many printable characters waiting at once are a paste from a
 * terminal without bracketed paste (or a program typing), not a person:
 * even a fast typist's keys arrive one by one. */
#define INPUT_BURST 3

/* Wait up to timeout_ms for one event (-1: block). */
void input_read(struct input_event *, int timeout_ms);
/* Free what an event holds (a paste is wiped: it may be a password). */
void input_free(struct input_event *);

/* Control characters, as get_wch returns them under raw(). */
#define INPUT_CTRL(c) ((c) & 0x1f)
#define INPUT_ESC 0x1b
#define INPUT_DEL 0x7f

#endif
