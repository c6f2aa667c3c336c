/* Splitting one line of a screen file into words (docs/screens.md).
 *
 * Hand-written: no library in the project's dependency set reads this
 * format, and the format is chosen so that `xgettext --language=C`
 * extracts every _("...") from it like a C string, which rules out the
 * config formats such libraries read. */
#ifndef MADOGUCHI_SCREENLEX_H
#define MADOGUCHI_SCREENLEX_H

#include <stddef.h>

enum lex_kind {
	LEX_WORD,		/* bare word: text in .word */
	LEX_TEXT,		/* "string" or _("string"): .value, .vkind */
	LEX_KEYVAL,		/* key=value: .word is the key */
};

enum lex_value {
	LEXV_WORD,		/* key=bare */
	LEXV_PLAIN,		/* "shown as it is" */
	LEXV_TRANSLATE,		/* _("translated when drawn") */
};

struct lex_token {
	enum lex_kind kind;
	char *word;
	char *value;
	enum lex_value vkind;
};

/* The tokens' words and values point into one block the line owns, made
 * by one allocation: copy what is kept. */
struct lex_line {
	struct lex_token *tok;
	size_t n;
};

/* Split line; on error returns -1 with *problem malloc'd. */
int screenlex_line(const char *line, struct lex_line *out, char **problem);
/* Free the tokens. */
void screenlex_free(struct lex_line *);

#endif
