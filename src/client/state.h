/* The engine's state as data: the stack of screens and the message
 * line.  Nothing here asks the service or draws. */
#ifndef MADOGUCHI_STATE_H
#define MADOGUCHI_STATE_H

#include <stdbool.h>

#include "engine.h"

/* The view on top of the stack. */
struct view *state_top(struct engine *);
/* Forget the message line. */
void state_clear_message(struct engine *);
/* Put an error on the message line. */
void state_error(struct engine *, enum errcode, const struct errparams *);
/* Views above new_depth leave the stack.  A form finished by a call but
 * kept for Back is wiped when a step forward leaves it behind ("Home"
 * after registering); Back alone keeps what was typed (P5). */
void state_drop(struct engine *, int new_depth, bool back);
/* Push sc, fresh, on the stack (the oldest screen above home gives way
 * when the stack is full). */
void state_push(struct engine *, const struct sf_screen *sc);
/* Nothing of the person stays (a log-out, a lost session, a kiosk
 * reset): every value is wiped, and each screen still on the stack
 * starts again at its first item. */
void state_forget(struct engine *);
/* Home alone on the stack (the manuals' "go to the top page"); its data
 * is loaded by the main loop (home_pending). */
void state_home(struct engine *);
/* The session is gone: logged out, everything forgotten, home, and the
 * reason on the message line. */
void state_lost(struct engine *, enum errcode, const struct errparams *);

#endif
