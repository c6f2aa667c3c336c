/* What frames every screen: the title bar, a wizard's steps, the
 * message line and the key bar. */
#ifndef MADOGUCHI_DRAWCHROME_H
#define MADOGUCHI_DRAWCHROME_H

#include <stdint.h>

#include "draw.h"
#include "layout.h"

/* Title bar: service name left, screen title, language name right. */
void drawchrome_title(const struct scene *);
/* One row of a wizard's steps at y: the current step in bold. */
void drawchrome_steps(int y, const char *line, int cols);
/* The text of the message line (malloc'd), or NULL for none; fv is
 * the value of the focused item (its error comes first), or NULL. */
char *drawchrome_message(const struct scene *, const struct fieldval *fv);
/* h continued over what the key bar depends on beyond the screen and
 * the language. */
uint64_t drawchrome_keybar_sig(const struct scene *, uint64_t h);
/* Key bar: the keys that work here. */
void drawchrome_keybar(const struct scene *);

#endif
