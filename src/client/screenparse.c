/* Reading the words of a screen file's statements. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "screenparse.h"
#include "xmalloc.h"

/* Record a problem at the current line; always returns -1. */
int
screenparse_fail(struct sf_ctx *cx, const char *fmt, ...)
{
	va_list ap;
	char *problem;

	va_start(ap, fmt);
	xvasprintf(&problem, fmt, ap);
	va_end(ap);
	xasprintf(cx->error, "%s:%d: %s", cx->path, cx->line, problem);
	free(problem);
	return -1;
}

/* A name a screen or field may have: letters, digits, "_" and "-". */
bool
screenparse_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		    *s == '.'))
			return false;
	}
	return true;
}

/* Take a text token as the statement's single TEXT argument. */
int
screenparse_text(struct sf_ctx *cx, const struct lex_line *ll, const char *kw,
    struct sf_text *out)
{
	if (ll->n != 2 || ll->tok[1].kind != LEX_TEXT)
		return screenparse_fail(cx,
		    "%s needs one _(\"text\") or \"text\"", kw);
	if (out->s != NULL)
		return screenparse_fail(cx, "duplicate %s", kw);
	out->s = xstrdup(ll->tok[1].value);
	out->translate = ll->tok[1].vkind == LEXV_TRANSLATE;
	return 0;
}

/* Copy a key=text value. */
int
screenparse_keytext(struct sf_ctx *cx, const struct lex_token *t,
    struct sf_text *out)
{
	if (t->vkind == LEXV_WORD)
		return screenparse_fail(cx, "%s= needs _(\"text\") or \"text\"",
		    t->word);
	if (out->s != NULL)
		return screenparse_fail(cx, "duplicate option \"%s\"", t->word);
	out->s = xstrdup(t->value);
	out->translate = t->vkind == LEXV_TRANSLATE;
	return 0;
}

/* Copy a key=word value. */
int
screenparse_keyword(struct sf_ctx *cx, const struct lex_token *t, char **out)
{
	if (t->vkind != LEXV_WORD)
		return screenparse_fail(cx, "%s= needs a word, not a string", t->word);
	if (*out != NULL)
		return screenparse_fail(cx, "duplicate option \"%s\"", t->word);
	*out = xstrdup(t->value);
	return 0;
}
