/* Painting the engine's state: title bar, content rows, message line and
 * key bar, monochrome-safe (focus is reverse video and a ">" marker,
 * errors are "!" and text), with the hardware cursor left on the focused
 * item after every refresh for screen readers. */
#ifndef MADOGUCHI_DRAW_H
#define MADOGUCHI_DRAW_H

#include <stdbool.h>

#include "engine.h"

/* The smallest terminal the screens are designed for. */
#define DRAW_MIN_COLS 80
#define DRAW_MIN_LINES 24

/* True if the terminal is too small to lay a screen out. */
bool draw_too_small(void);
/* Repaint everything and refresh, cursor on the focused item. */
void draw_frame(struct engine *);

#endif
