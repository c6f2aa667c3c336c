/* What the engine shows, handed to draw.c as a scene: the screen on
 * top, its focus, the message line, the dialog. */
#ifndef MADOGUCHI_SCENE_H
#define MADOGUCHI_SCENE_H

#include "engine.h"

/* Paint the frame.  The focus first moves to the first item shown when
 * its own is not (nothing was focused yet, or a condition now hides it):
 * a screen reader must never be left on the message line. */
void scene_paint(struct engine *);
/* ^L: send the whole screen to the terminal again at the next paint. */
void scene_redraw(struct engine *);

#endif
