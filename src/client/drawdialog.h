/* The open dialog's title, text and buttons, translated now, drawn over
 * the screen (dialog.c draws the box). */
#ifndef MADOGUCHI_DRAWDIALOG_H
#define MADOGUCHI_DRAWDIALOG_H

#include "draw.h"

/* Draw the scene's dialog, if one is open; it takes the cursor. */
void drawdialog(const struct scene *);

#endif
