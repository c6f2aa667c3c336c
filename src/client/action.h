/* What a button does (docs/screens.md): go to a screen, make a call and
 * show its outcome, switch the language or the colours, quit; asked
 * once more first when it has confirm= (R6). */
#ifndef MADOGUCHI_ACTION_H
#define MADOGUCHI_ACTION_H

#include "engine.h"

/* Do what button item of the top screen says. */
void action_activate(struct engine *, int item);
/* Enter on a field: the next field, or on the last one the first button
 * (so a form is sent with Enter from its last field). */
void action_enter_field(struct engine *);

#endif
