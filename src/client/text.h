/* Text measured and cut in display columns, never bytes (nano breadth(),
 * dialog dlg_count_columns): a CJK character takes two columns and is
 * never split. */
#ifndef MADOGUCHI_TEXT_H
#define MADOGUCHI_TEXT_H

#include <stddef.h>
#include <wchar.h>

/* A malloc'd wide copy of UTF-8 s; invalid bytes become U+FFFD. */
wchar_t *text_widen(const char *s);
/* Columns one character takes as drawn (text_visible): 0 for marks, 1
 * or 2; a control character 2, as ^X; anything else a terminal cannot
 * show 1, as U+FFFD. */
int text_char_width(wchar_t c);
/* A malloc'd copy of the first n characters of ws (n = -1: all) as they
 * are to be drawn: a control character as ^ and a letter (ESC "^[", DEL
 * "^?"), a C1 control or a character a terminal cannot show as U+FFFD.
 * Text from the service may hold anything; curses would draw some of it
 * wider than counted (ESC as "^[") and act on some (TAB, LF, BS move the
 * cursor), so everything drawn goes through here, and each character
 * takes exactly text_char_width columns. */
wchar_t *text_visible(const wchar_t *ws, long n);
/* Columns the first n characters of ws take (n = -1: all of it). */
int text_width_wcs(const wchar_t *ws, long n);
/* Columns UTF-8 s takes. */
int text_width(const char *s);
/* How many characters of ws fit in cols columns. */
size_t text_fit(const wchar_t *ws, int cols);

/* Wrapped lines of one paragraph, as wide strings. */
struct text_lines {
	wchar_t **line;
	size_t n;
};

/* Wrap UTF-8 s to cols columns: at blanks where there are blanks, between
 * any two characters where there are none (Japanese, Chinese), at "\n"
 * always.  A line is never wider than cols. */
void text_wrap(const char *s, int cols, struct text_lines *out);
/* Free what text_wrap made. */
void text_lines_free(struct text_lines *);

#endif
