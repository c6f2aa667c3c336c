/* Wide-character edit buffer for input fields. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "editbuf.h"
#include "text.h"
#include "xmalloc.h"

/* Grow to hold one more character, wiping the old storage: a password
 * must not be left behind in freed memory. */
static void
editbuf_grow(struct editbuf *eb)
{
	size_t ncap;
	wchar_t *ns;

	if (eb->s != NULL && eb->len + 1 < eb->cap)
		return;
	ncap = eb->cap < 32 ? 32 : eb->cap * 2;
	ns = xreallocarray(NULL, ncap, sizeof *ns);
	if (eb->s != NULL) {
		wmemcpy(ns, eb->s, eb->len + 1);
		wipe(eb->s, eb->cap * sizeof *eb->s);
		free(eb->s);
	} else
		ns[0] = L'\0';
	eb->s = ns;
	eb->cap = ncap;
}

/* A mark that combines with the character before it (Vietnamese tones
 * typed as separate keys, a Korean jamo tail): it takes no column. */
static bool
editbuf_mark(wchar_t c)
{
	return c >= 0xa0 && wcwidth(c) == 0;
}

/* See editbuf.h: the start of the next character a person sees. */
size_t
editbuf_next(const struct editbuf *eb, size_t i)
{
	if (i >= eb->len)
		return eb->len;
	for (i++; i < eb->len && editbuf_mark(eb->s[i]); i++)
		;
	return i;
}

/* The start of the character a person sees before position i. */
static size_t
editbuf_prev(const struct editbuf *eb, size_t i)
{
	if (i == 0)
		return 0;
	for (i--; i > 0 && editbuf_mark(eb->s[i]); i--)
		;
	return i;
}

/* Remove characters [from, to), wiping the freed tail. */
static void
editbuf_cut(struct editbuf *eb, size_t from, size_t to)
{
	wmemmove(eb->s + from, eb->s + to, eb->len - to + 1);
	wipe(eb->s + eb->len - (to - from) + 1, (to - from) * sizeof *eb->s);
	eb->len -= to - from;
}

/* Insert one character at the cursor.  A combining mark joins the
 * character before the cursor, so the cursor stays after the pair. */
bool
editbuf_insert(struct editbuf *eb, wchar_t c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return false;
	if (wcwidth(c) < 0 || (wcwidth(c) == 0 &&
	    (!editbuf_mark(c) || eb->cur == 0)))
		return false;
	if (eb->limit > 0 && eb->len >= eb->limit)
		return false;
	editbuf_grow(eb);
	wmemmove(eb->s + eb->cur + 1, eb->s + eb->cur, eb->len - eb->cur + 1);
	eb->s[eb->cur++] = c;
	eb->len++;
	return true;
}

/* Insert pasted UTF-8; see editbuf.h. */
bool
editbuf_insert_utf8(struct editbuf *eb, const char *s)
{
	wchar_t *ws = text_widen(s);
	bool all = true;

	for (wchar_t *p = ws; *p != L'\0'; p++) {
		wchar_t c = *p;

		if (c == L'\r' && p[1] == L'\n')
			continue;
		if (c == L'\n' || c == L'\r' || c == L'\t')
			c = L' ';
		if (!editbuf_insert(eb, c) && eb->limit > 0 &&
		    eb->len >= eb->limit) {
			all = false;
			break;
		}
	}
	wipe(ws, wcslen(ws) * sizeof *ws);
	free(ws);
	return all;
}

/* One character left; a base and its marks are one character. */
void
editbuf_left(struct editbuf *eb)
{
	eb->cur = editbuf_prev(eb, eb->cur);
}

/* One character right. */
void
editbuf_right(struct editbuf *eb)
{
	eb->cur = editbuf_next(eb, eb->cur);
}

/* Start of the value. */
void
editbuf_home(struct editbuf *eb)
{
	eb->cur = 0;
}

/* End of the value. */
void
editbuf_end(struct editbuf *eb)
{
	eb->cur = eb->len;
}

/* Delete the character before the cursor, with its marks. */
bool
editbuf_backspace(struct editbuf *eb)
{
	size_t from;

	if (eb->cur == 0)
		return false;
	from = editbuf_prev(eb, eb->cur);
	editbuf_cut(eb, from, eb->cur);
	eb->cur = from;
	return true;
}

/* Delete the character under the cursor, with its marks. */
bool
editbuf_delete(struct editbuf *eb)
{
	if (eb->cur >= eb->len)
		return false;
	editbuf_cut(eb, eb->cur, editbuf_next(eb, eb->cur));
	return true;
}

/* Empty the buffer, wiping it. */
void
editbuf_clear(struct editbuf *eb)
{
	if (eb->s != NULL)
		wipe(eb->s, eb->cap * sizeof *eb->s);
	if (eb->s != NULL)
		eb->s[0] = L'\0';
	eb->len = eb->cur = eb->scroll = 0;
}

/* Wipe and free. */
void
editbuf_free(struct editbuf *eb)
{
	editbuf_clear(eb);
	free(eb->s);
	eb->s = NULL;
	eb->cap = 0;
}

/* The value as malloc'd UTF-8. */
char *
editbuf_utf8(const struct editbuf *eb)
{
	size_t n;
	char *out;
	mbstate_t st;
	const wchar_t *src = eb->s;

	if (eb->s == NULL || eb->len == 0)
		return xstrdup("");
	memset(&st, 0, sizeof st);
	/* MB_CUR_MAX is 6 in UTF-8 locales: enough for any character. */
	out = xreallocarray(NULL, eb->len + 1, MB_CUR_MAX);
	n = wcsrtombs(out, &src, (eb->len + 1) * MB_CUR_MAX, &st);
	if (n == (size_t)-1)
		out[0] = '\0';
	return out;
}

/* Replace the value. */
void
editbuf_set_utf8(struct editbuf *eb, const char *s)
{
	editbuf_clear(eb);
	editbuf_insert_utf8(eb, s);
	eb->cur = eb->len;
}

/* Scroll so that the cursor shows inside a box cols columns wide. */
void
editbuf_fit(struct editbuf *eb, int cols, bool mask)
{
	int used;

	if (cols < 2)
		cols = 2;
	if (eb->scroll > eb->cur)
		eb->scroll = eb->cur;
	/* The cursor cell itself needs a column after the text before it. */
	for (;;) {
		used = 0;
		for (size_t i = eb->scroll; i < eb->cur; i = editbuf_next(eb, i))
			used += mask ? 1 : text_char_width(eb->s[i]);
		if (used + 1 <= cols || eb->scroll >= eb->cur)
			break;
		eb->scroll = editbuf_next(eb, eb->scroll);
	}
}
