/* Keys while a dialog is open: it keeps the keyboard until it is
 * closed.  Its buttons extend the session, confirm a button's action,
 * take the staff code, or close it. */
#ifndef MADOGUCHI_DIALOGKEY_H
#define MADOGUCHI_DIALOGKEY_H

#include "engine.h"

/* Apply ev to the open dialog. */
void dialogkey(struct engine *, const struct input_event *ev);

#endif
