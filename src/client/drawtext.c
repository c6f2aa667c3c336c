/* Text on the screen, measured in columns. */
#include "config.h"

#include <stdlib.h>

#include "curses-wrap.h"
#include "drawctx.h"
#include "drawtext.h"
#include "text.h"
#include "theme.h"

/* Controls are drawn as ^X, in the columns text_fit counted for them. */
int
drawtext_wcs(int y, int x, const wchar_t *ws, int cols)
{
	size_t n;

	if (cols <= 0 || ws == NULL)
		return 0;
	n = text_fit(ws, cols);
	if (n > 0) {
		wchar_t *vis = text_visible(ws, (long)n);

		mvaddwstr(y, x, vis);
		free(vis);
	}
	return text_width_wcs(ws, (long)n);
}

int
drawtext_str(int y, int x, const char *s, int cols)
{
	wchar_t *ws = text_widen(s);
	int w = drawtext_wcs(y, x, ws, cols);

	free(ws);
	return w;
}

void
drawtext_marks(int y, bool focused, bool error)
{
	if (focused)
		mvaddch(y, DRAW_FOCUS_COL, '>' | theme_attr(THEME_MARK));
	if (error)
		mvaddch(y, DRAW_ERROR_COL, '!' | theme_attr(THEME_ERROR));
}
