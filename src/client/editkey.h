/* Editing keys on the focused field: characters, Backspace and Delete,
 * cursor moves, a paste, Left/Right on a choice.  Only the field's value
 * and its error change. */
#ifndef MADOGUCHI_EDITKEY_H
#define MADOGUCHI_EDITKEY_H

#include <stdbool.h>

#include "engine.h"

/* Apply ev to the focused field; false if it is not an editing key
 * there. */
bool editkey(struct engine *, const struct input_event *ev);

#endif
