/* The screen engine: runs the screens loaded from the screens directory
 * with a navigation stack, focus, keys, validation and the actions
 * buttons name.  Generic: nothing here knows a particular screen except
 * that "home" is where it starts and "language" is what F2 opens.
 *
 * The engine is split by concern; calls run one way, from the top:
 *   engine.c     the main loop and which key goes where
 *   dialogkey.c  keys while a dialog is open
 *   timers.c     the idle-logout warning, the kiosk countdown and reset
 *   action.c     what a button does (goto, call, language, colours)
 *   tablekey.c   keys on a table from the service
 *   nav.c        showing a screen: the stack, Back, entering a screen
 *   load.c       what a screen loads from the service
 *   request.c    running a request while the screen stays alive
 *   scene.c      handing what to show to draw.c
 *   editkey.c    editing keys on a field
 *   form.c       checking fields, moving the focus
 *   state.c      the stack and the message line as data */
#ifndef MADOGUCHI_ENGINE_H
#define MADOGUCHI_ENGINE_H

#include <stdbool.h>

#include "api.h"
#include "dialog.h"
#include "draw.h"
#include "input.h"
#include "message.h"
#include "placeholder.h"
#include "screenfile.h"
#include "session.h"
#include "store.h"

#define ENGINE_DEPTH 32

/* A screen on the navigation stack, with where the person was on it. */
struct view {
	const struct sf_screen *sc;
	int focus;		/* item index, -1: nothing focusable */
	int top;		/* first content row shown */
	bool scrolled;		/* moved by PgUp/PgDn: focus may be out of
				   sight until it moves */
	bool finished;		/* a call from this form succeeded; its
				   values are kept only for Back */
};

#define ENGINE_TYPEAHEAD 64

/* Kiosk mode (--kiosk): after idle seconds without a key the terminal
 * warns for warning seconds, then wipes everything and starts again in
 * the default language and colours.  Staff leave with the code read from
 * the staff code file (NULL: no way out from the keyboard). */
struct kiosk {
	bool on;
	long idle;
	long warning;
	char *staff_code;
	const char *lang;
	const char *scheme;
};

struct engine {
	const struct sf_set *set;
	struct session *sess;
	struct store *store;
	struct api *api;
	struct placeholder_src ph;	/* the above, for {placeholders} */
	struct view stack[ENGINE_DEPTH];
	int depth;
	unsigned long serial;	/* screens entered so far */
	struct message msg;
	struct message msg_kept;	/* msg while the Language screen shows */
	bool busy;		/* a request is running */
	unsigned spin;		/* spinner frame while busy */
	bool quit;
	/* Keys typed while a screen's data loads, replayed after it: a
	 * person may press Enter on Log in before the service answered. */
	bool typeahead;
	struct input_event ahead[ENGINE_TYPEAHEAD];
	size_t nahead;
	/* Dialogs and the timers behind them. */
	struct dialog dialog;
	struct kiosk kiosk;
	double last_input;	/* session_clock() of the last key */
	int shown_seconds;	/* countdown value last drawn */
	bool confirmed;		/* the confirm= question was answered OK */
	bool home_pending;	/* home was shown: load its data next round */
	bool dialog_drawn;	/* the last frame showed a dialog */
	struct frame frame;	/* what was drawn, to draw only changes */
};

/* Run until the person quits; returns the exit status. */
int engine_run(struct engine *);

#endif
