/* Dialogs over a screen: the kiosk's idle countdown, the idle-logout
 * warning (003 §2.6) and the staff exit.  A dialog holds the keyboard
 * until it is closed; its text is translated at every repaint. */
#ifndef MADOGUCHI_DIALOG_H
#define MADOGUCHI_DIALOG_H

#include <stdbool.h>
#include <time.h>

#include "editbuf.h"

enum dialog_kind {
	DIALOG_NONE,
	DIALOG_KIOSK_RESET,	/* countdown to wiping the terminal */
	DIALOG_IDLE_WARNING,	/* the session ends soon: extend? */
	DIALOG_STAFF_EXIT,	/* staff code to leave kiosk mode */
	DIALOG_HELP,		/* the screen's help and the keys (F1) */
	DIALOG_CONFIRM		/* a button's confirm= question: OK/Cancel */
};

#define DIALOG_MAX_BUTTONS 2

struct dialog {
	enum dialog_kind kind;
	const char *button[DIALOG_MAX_BUTTONS];	/* N_() msgids */
	int nbuttons;
	int focus;		/* -1: the input; else a button */
	bool has_input;
	struct editbuf input;	/* staff code: a secret */
	time_t until;		/* wall-clock time the countdown ends */
	const char *error;	/* N_() msgid shown in the dialog, or NULL */
	int item;		/* DIALOG_CONFIRM: the button it asks for */
};

/* Open a dialog of kind (replacing any). */
void dialog_open(struct dialog *, enum dialog_kind, time_t until);
/* Close it, wiping the input. */
void dialog_close(struct dialog *);
/* Draw it over the screen; leaves the cursor on its focus.  text is the
 * already-translated body; labels, if not NULL, the buttons' labels
 * already translated and filled in (NULL entries: the msgids). */
void dialog_draw(const struct dialog *, const char *title, const char *text,
    const char *const *labels);

#endif
