/* Putting text on the screen by display columns: never more than the
 * columns given, never half a wide character, controls as ^X; and the
 * marks of the left margin. */
#ifndef MADOGUCHI_DRAWTEXT_H
#define MADOGUCHI_DRAWTEXT_H

#include <stdbool.h>
#include <wchar.h>

/* Draw at most cols columns of ws at y, x; returns the columns used. */
int drawtext_wcs(int y, int x, const wchar_t *ws, int cols);
/* Draw UTF-8 s like drawtext_wcs. */
int drawtext_str(int y, int x, const char *s, int cols);
/* The focus (">") and error ("!") marks in the left margin of a row. */
void drawtext_marks(int y, bool focused, bool error);

#endif
