/* Painting what the engine shows: title bar, content rows, message line
 * and key bar, monochrome-safe (focus is reverse video and a ">" marker,
 * errors are "!" and text), with the hardware cursor left on the focused
 * item after every refresh for screen readers.  Only the rows whose
 * content changed since the last frame are drawn again: a typed
 * character redraws its field's row, nothing else, and the layout is
 * kept (layoutcache.h).  The engine hands over a scene; nothing here
 * calls back into the engine. */
#ifndef MADOGUCHI_DRAW_H
#define MADOGUCHI_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#include "dialog.h"
#include "layoutcache.h"
#include "message.h"
#include "placeholder.h"
#include "screenfile.h"
#include "text.h"

/* The smallest terminal the screens are designed for. */
#define DRAW_MIN_COLS 80
#define DRAW_MIN_LINES 24

/* What to show. */
struct scene {
	const struct sf_screen *sc;	/* the screen on top */
	int focus;		/* item index, -1: nothing focusable */
	int top;		/* first content row shown; draw_frame moves
				   it to keep the focus in sight */
	bool scrolled;		/* moved by paging: the focus may be out of
				   sight */
	bool can_back;		/* Esc leads somewhere from here */
	bool has_language;	/* F2 opens a Language screen from here */
	const struct placeholder_src *ph;
	const struct message *msg;
	bool busy;		/* a request is running: the spinner */
	unsigned spin;
	const struct dialog *dialog;
	unsigned long serial;	/* screens entered so far (layoutcache.h) */
};

/* What was drawn, kept from one frame to the next. */
struct frame {
	struct layout_cache lc;
	uint64_t *sig;		/* per screen row: what was drawn there */
	int *curx;		/* per screen row: the cursor column the row
				   holds, or -1 */
	int rows;		/* entries in sig and curx */
	uint64_t look;		/* size, language, colours, dialog: when it
				   changes, every row is drawn again */
	/* The message line's text as last wrapped. */
	char *msgtext;
	struct text_lines msglines;
};

/* True if the terminal is too small to lay a screen out. */
bool draw_too_small(void);
/* Draw what changed since the last frame and refresh, leaving the
 * cursor on the focused item. */
void draw_frame(struct frame *, struct scene *);
/* Draw every row at the next frame (the terminal was cleared, or a
 * dialog left cells behind). */
void draw_invalidate(struct frame *);
/* Free what the frame keeps. */
void draw_free(struct frame *);

#endif
