/* The form on top of the stack: checking what was typed, and moving the
 * focus, a field being checked as it is left. */
#ifndef MADOGUCHI_FORM_H
#define MADOGUCHI_FORM_H

#include <stdbool.h>

#include "engine.h"

/* A text or password field: something a person types into. */
bool form_typed(const struct sf_item *);
/* Check item of sc and record the verdict on its value.  On submit
 * every rule counts; as the person leaves a field (submit false) only
 * what they typed is judged.  Returns the verdict either way. */
enum errcode form_check_field(struct engine *, const struct sf_screen *sc,
    int item, bool submit);
/* Check every field of the top screen before a call; focus the first in
 * error.  True if all are right. */
bool form_check(struct engine *);
/* Move the focus to item to, checking the field being left. */
void form_focus(struct engine *, int to);
/* Focus the next (dir 1) or previous (dir -1) item that can take it,
 * wrapping. */
void form_step(struct engine *, int dir);

#endif
