/* What every statement of a screen file reads: names, texts and words,
 * each checked, and problems reported as "FILE:LINE: problem". */
#ifndef MADOGUCHI_SCREENPARSE_H
#define MADOGUCHI_SCREENPARSE_H

#include <stdbool.h>

#include "screenfile.h"
#include "screenlex.h"

/* Where a problem was found, for "FILE:LINE: problem". */
struct sf_ctx {
	const char *path;
	int line;
	char **error;
};

/* Record a problem at the current line; always returns -1. */
int screenparse_fail(struct sf_ctx *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A name a screen or field may have: letters, digits, "_", "-", ".". */
bool screenparse_name(const char *);
/* The statement's single TEXT argument into out. */
int screenparse_text(struct sf_ctx *, const struct lex_line *,
    const char *kw, struct sf_text *out);
/* A key=TEXT value into out, once. */
int screenparse_keytext(struct sf_ctx *, const struct lex_token *,
    struct sf_text *out);
/* A key=word value into *out, once. */
int screenparse_keyword(struct sf_ctx *, const struct lex_token *,
    char **out);

#endif
