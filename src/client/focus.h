/* Where the focus may rest and where it starts on a screen.  A screen
 * reader reads what the cursor is on, and the cursor follows the focus:
 * the focus is always on an item that is shown, never on one that an
 * if= condition or kiosk mode hides. */
#ifndef MADOGUCHI_FOCUS_H
#define MADOGUCHI_FOCUS_H

#include <stdbool.h>

#include "screenfile.h"
#include "session.h"

/* True if the item can take focus now: a field, button or table that is
 * shown (its if= holds; a kiosk has no Quit). */
bool focus_can(const struct session *, const struct sf_item *);
/* The first item that can take focus, or -1. */
int focus_first(const struct session *, const struct sf_screen *);
/* Where a screen opens: on the choice in use when it offers one (the
 * Language screen on the language shown, Colour scheme on the scheme),
 * otherwise on the first item that can take focus; -1 for none. */
int focus_initial(const struct session *, const struct sf_screen *);
/* Move *focus to the first item shown when it rests on none (nothing
 * focused yet, or a condition now hides its item); true if it moved. */
bool focus_settle(const struct session *, const struct sf_screen *,
    int *focus);

#endif
