/* Measuring, cutting and wrapping text by display columns. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "text.h"
#include "xmalloc.h"

/* A malloc'd wide copy of UTF-8 s; invalid bytes become U+FFFD so that
 * a bad byte from a catalogue or the service shows instead of vanishing. */
wchar_t *
text_widen(const char *s)
{
	size_t len = strlen(s), n = 0;
	wchar_t *out = xreallocarray(NULL, len + 1, sizeof *out);
	mbstate_t st;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &st);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof st);
			wc = 0xfffd;
			r = 1;
		}
		out[n++] = wc;
		s += r;
	}
	out[n] = L'\0';
	return out;
}

/* True for C0 controls and DEL, shown in caret notation. */
static bool
text_is_caret(wchar_t c)
{
	return (c >= 0 && c < 0x20) || c == 0x7f;
}

/* Columns one character takes as text_visible draws it. */
int
text_char_width(wchar_t c)
{
	int w;

	if (text_is_caret(c))
		return 2;
	if (c >= 0x80 && c < 0xa0)
		return 1;
	w = wcwidth(c);
	return w < 0 ? 1 : w;
}

/* What is drawn for c: up to two characters in out; returns how many. */
static size_t
text_visible_char(wchar_t c, wchar_t out[2])
{
	if (text_is_caret(c)) {
		out[0] = L'^';
		out[1] = c ^ 0x40;
		return 2;
	}
	if ((c >= 0x80 && c < 0xa0) || wcwidth(c) < 0)
		out[0] = 0xfffd;
	else
		out[0] = c;
	return 1;
}

/* See text.h. */
wchar_t *
text_visible(const wchar_t *ws, long n)
{
	size_t len = 0, j = 0;
	wchar_t *out;

	while (ws[len] != L'\0' && (n < 0 || (long)len < n))
		len++;
	out = xreallocarray(NULL, 2 * len + 1, sizeof *out);
	for (size_t i = 0; i < len; i++)
		j += text_visible_char(ws[i], out + j);
	out[j] = L'\0';
	return out;
}

/* Columns of the first n characters (n < 0: the whole string). */
int
text_width_wcs(const wchar_t *ws, long n)
{
	int cols = 0;

	for (long i = 0; ws[i] != L'\0' && (n < 0 || i < n); i++)
		cols += text_char_width(ws[i]);
	return cols;
}

/* Columns UTF-8 s takes. */
int
text_width(const char *s)
{
	wchar_t *ws = text_widen(s);
	int w = text_width_wcs(ws, -1);

	free(ws);
	return w;
}

/* How many characters fit in cols columns without cutting one in half. */
size_t
text_fit(const wchar_t *ws, int cols)
{
	size_t i = 0;
	int used = 0;

	while (ws[i] != L'\0') {
		int w = text_char_width(ws[i]);

		if (used + w > cols)
			break;
		used += w;
		i++;
	}
	return i;
}

/* Append ws[from..to) as one line. */
static void
text_push(struct text_lines *out, const wchar_t *from, const wchar_t *to)
{
	size_t len = (size_t)(to - from);
	wchar_t *line = xreallocarray(NULL, len + 1, sizeof *line);

	wmemcpy(line, from, len);
	line[len] = L'\0';
	out->line = xreallocarray(out->line, out->n + 1, sizeof *out->line);
	out->line[out->n++] = line;
}

/* Characters that may not start a line: closing brackets, punctuation,
 * small kana and the prolonged sound mark (JIS X 4051 kinsoku, as in
 * the manuals' own typesetting). */
static bool
text_no_start(wchar_t c)
{
	static const wchar_t set[] =
	    L"、。，．・：；？！゛゜ー々〻ゝゞヽヾ"
	    L"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
	    L"）］｝〕〉》」』】〙〗’”｠»…‥"
	    L"),.:;!?]}%";

	return wcschr(set, c) != NULL && c != L'\0';
}

/* Characters that may not end a line: opening brackets. */
static bool
text_no_end(wchar_t c)
{
	static const wchar_t set[] = L"（［｛〔〈《「『【〘〖‘“｟«([{";

	return wcschr(set, c) != NULL && c != L'\0';
}

/* May a line end after a and the next start with b?  After a blank;
 * and beside a wide (CJK) character, where words have no blanks, unless
 * kinsoku forbids it. */
static bool
text_may_break(wchar_t a, wchar_t b)
{
	if (b == L' ')
		return false;
	if (a == L' ')
		return true;
	if (wcwidth(a) < 2 && wcwidth(b) < 2)
		return false;
	return !text_no_start(b) && !text_no_end(a);
}

/* Wrap one paragraph; see text.h. */
void
text_wrap(const char *s, int cols, struct text_lines *out)
{
	wchar_t *ws = text_widen(s);
	const wchar_t *p = ws;

	out->line = NULL;
	out->n = 0;
	if (cols < 1)
		cols = 1;
	while (*p != L'\0') {
		const wchar_t *q = p, *brk = NULL;
		int used = 0;

		/* Take characters while they fit; remember the last place a
		 * line may end. */
		while (*q != L'\0' && *q != L'\n') {
			int w = text_char_width(*q);

			if (used + w > cols)
				break;
			if (q > p && text_may_break(q[-1], *q))
				brk = q;
			used += w;
			q++;
		}
		if (*q == L'\0' || *q == L'\n') {
			text_push(out, p, q);
			p = *q == L'\n' ? q + 1 : q;
			if (*q == L'\n' && *p == L'\0')
				text_push(out, p, p);
			continue;
		}
		if (*q == L' ' || (q > p && text_may_break(q[-1], *q))) {
			/* The line may end exactly where the width does. */
			brk = q;
		}
		if (brk == NULL || brk == p) {
			/* One long word: cut between characters, at least one
			 * so that a too-narrow width still advances. */
			brk = q == p ? q + 1 : q;
		}
		{
			const wchar_t *end = brk;

			while (end > p && end[-1] == L' ')
				end--;
			text_push(out, p, end);
		}
		p = brk;
		while (*p == L' ')
			p++;
	}
	if (out->n == 0)
		text_push(out, ws, ws);
	free(ws);
}

/* Free what text_wrap made. */
void
text_lines_free(struct text_lines *tl)
{
	for (size_t i = 0; i < tl->n; i++)
		free(tl->line[i]);
	free(tl->line);
	tl->line = NULL;
	tl->n = 0;
}
