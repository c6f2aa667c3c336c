/* Showing a screen: where a target leads on the stack, what entering a
 * screen does (its prefills, its data), Back, and the Language screen
 * from anywhere. */
#ifndef MADOGUCHI_NAV_H
#define MADOGUCHI_NAV_H

#include <stdbool.h>

#include "engine.h"

/* Show target: "previous" pops; a screen already on the stack is
 * returned to as it was left; any other is pushed fresh.  A screen that
 * needs a logged-in person sends everyone else home. */
void nav_go(struct engine *, const char *target);
/* The screen on top is shown: a fresh one gets its value= prefills;
 * one with `load` asks the service again each time (My page shows what
 * is true now, M1 "最新の情報に更新"). */
void nav_enter(struct engine *, bool fresh);
/* Esc: where the screen's `back` leads. */
void nav_back(struct engine *);
/* F2 / ^G: the Language screen, from anywhere. */
void nav_language(struct engine *);

#endif
