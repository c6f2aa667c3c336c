/* The clocks behind the dialogs: the idle-logout warning and the end of
 * the session (003 §2.6), and the kiosk's countdown and fresh start. */
#ifndef MADOGUCHI_TIMERS_H
#define MADOGUCHI_TIMERS_H

#include <stdbool.h>

#include "engine.h"

/* Look at the clocks; true if the screen must be drawn again. */
bool timers_check(struct engine *);
/* The session ran out (003 §2.6): say so and go home. */
void timers_session_ended(struct engine *);

#endif
