/* The edit buffer behind a text or password field: wide characters, so
 * that the cursor moves and deletes by whole characters and a UTF-8
 * sequence is never split. */
#ifndef MADOGUCHI_EDITBUF_H
#define MADOGUCHI_EDITBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct editbuf {
	wchar_t *s;		/* NUL-terminated */
	size_t len;		/* characters */
	size_t cap;
	size_t cur;		/* cursor, 0..len */
	size_t scroll;		/* first character shown in the box */
	size_t limit;		/* at most this many characters (0: none) */
};

/* Insert c at the cursor; false if the limit is reached or c is not a
 * character a person can type (controls, a combining mark with nothing
 * before it to combine with). */
bool editbuf_insert(struct editbuf *, wchar_t c);
/* Index of the next character a person sees after index i: a base
 * character and the combining marks after it move, delete and draw as
 * one (Vietnamese "ế" typed as e + two marks). */
size_t editbuf_next(const struct editbuf *, size_t i);
/* Insert UTF-8 text (a paste); controls are dropped, line breaks become
 * blanks.  Returns false if something was cut at the limit. */
bool editbuf_insert_utf8(struct editbuf *, const char *s);
/* Cursor movement. */
void editbuf_left(struct editbuf *);
void editbuf_right(struct editbuf *);
void editbuf_home(struct editbuf *);
void editbuf_end(struct editbuf *);
/* Delete the character before / under the cursor. */
bool editbuf_backspace(struct editbuf *);
bool editbuf_delete(struct editbuf *);
/* Empty the buffer, wiping what it held. */
void editbuf_clear(struct editbuf *);
/* Wipe and free the storage. */
void editbuf_free(struct editbuf *);
/* The value as malloc'd UTF-8 (the caller wipes it if it is a secret). */
char *editbuf_utf8(const struct editbuf *);
/* Replace the value with UTF-8 s, cursor at the end. */
void editbuf_set_utf8(struct editbuf *, const char *s);
/* Move scroll so that the cursor shows in a box cols columns wide;
 * mask: every character shows as one "*". */
void editbuf_fit(struct editbuf *, int cols, bool mask);

#endif
