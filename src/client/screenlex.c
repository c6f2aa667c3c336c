/* Tokenizer for screen files; see screenlex.h for why it is hand-written. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "screenlex.h"
#include "validate.h"
#include "xmalloc.h"

/* A blank separates words. */
static bool
lex_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Read a "quoted string" with C escapes starting at *pp (on the quote). */
static int
lex_string(const char **pp, char **out, char **problem)
{
	const char *p = *pp + 1;
	size_t cap = strlen(p) + 1, n = 0;
	char *buf = xmalloc(cap);

	while (*p != '\0' && *p != '"') {
		if (*p == '\\') {
			p++;
			switch (*p) {
			case 'n': buf[n++] = '\n'; break;
			case 't': buf[n++] = '\t'; break;
			case '"': buf[n++] = '"'; break;
			case '\\': buf[n++] = '\\'; break;
			case '\0':
				free(buf);
				xasprintf(problem, "unterminated string");
				return -1;
			default:
				free(buf);
				xasprintf(problem, "unknown escape \"\\%c\"", *p);
				return -1;
			}
			p++;
		} else
			buf[n++] = *p++;
	}
	if (*p != '"') {
		free(buf);
		xasprintf(problem, "unterminated string");
		return -1;
	}
	buf[n] = '\0';
	if (!utf8_valid(buf, n)) {
		free(buf);
		xasprintf(problem, "string is not valid UTF-8");
		return -1;
	}
	*pp = p + 1;
	*out = buf;
	return 0;
}

/* Skip blanks and expect c; the message names what was being read. */
static int
lex_expect(const char **pp, char c, const char *what, char **problem)
{
	const char *p = *pp;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != c) {
		xasprintf(problem, "expected \"%c\" %s", c, what);
		return -1;
	}
	*pp = p + 1;
	return 0;
}

/* Read _("string") or C_("context", "string") starting at *pp (on the
 * C or the underscore).  A context is kept glued to the string with
 * gettext's EOT separator, the key pgettext looks up, so that one
 * English word can have two translations (a wizard step "Confirm" and a
 * dialog's "Confirm"). */
static int
lex_translatable(const char **pp, char **out, char **problem)
{
	const char *p = *pp;
	char *ctx = NULL, *msg = NULL;

	*out = NULL;
	if (*p == 'C') {
		p += 3;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '"') {
			xasprintf(problem, "expected a context string after C_(");
			return -1;
		}
		if (lex_string(&p, &ctx, problem) != 0)
			return -1;
		if (lex_expect(&p, ',', "after C_(\"context\"", problem) != 0)
			goto fail;
	} else
		p += 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"') {
		xasprintf(problem, "expected a string after %s(",
		    ctx != NULL ? "C_" : "_");
		goto fail;
	}
	if (lex_string(&p, &msg, problem) != 0)
		goto fail;
	if (lex_expect(&p, ')', "after a translatable string", problem) != 0)
		goto fail;
	if (ctx != NULL) {
		xasprintf(out, "%s\004%s", ctx, msg);
		free(ctx);
		free(msg);
	} else
		*out = msg;
	*pp = p;
	return 0;
fail:
	free(ctx);
	free(msg);
	return -1;
}

/* Read a quoted or translatable text at *pp into tok. */
static int
lex_text(const char **pp, struct lex_token *tok, char **problem)
{
	if (**pp == '"') {
		tok->vkind = LEXV_PLAIN;
		return lex_string(pp, &tok->value, problem);
	}
	tok->vkind = LEXV_TRANSLATE;
	return lex_translatable(pp, &tok->value, problem);
}

/* True if p starts a text: a quote, _( or C_( . */
static bool
lex_at_text(const char *p)
{
	return *p == '"' || (p[0] == '_' && p[1] == '(') ||
	    (p[0] == 'C' && p[1] == '_' && p[2] == '(');
}

/* Split one line into tokens. */
int
screenlex_line(const char *line, struct lex_line *out, char **problem)
{
	const char *p = line;

	out->tok = NULL;
	out->n = 0;
	*problem = NULL;
	for (;;) {
		struct lex_token tok;
		const char *start;

		while (lex_blank(*p))
			p++;
		if (*p == '\0')
			return 0;
		memset(&tok, 0, sizeof tok);
		if (lex_at_text(p)) {
			tok.kind = LEX_TEXT;
			if (lex_text(&p, &tok, problem) != 0)
				goto fail;
		} else {
			start = p;
			while (*p != '\0' && !lex_blank(*p) && *p != '=' &&
			    *p != '"')
				p++;
			if (*p == '"') {
				xasprintf(problem, "unexpected quote in a word");
				goto fail;
			}
			tok.word = xstrndup(start, (size_t)(p - start));
			tok.kind = LEX_WORD;
			if (*p == '=') {
				p++;
				tok.kind = LEX_KEYVAL;
				if (p - start == 1) {
					free(tok.word);
					xasprintf(problem, "\"=\" without a key");
					goto fail;
				}
				if (lex_at_text(p)) {
					if (lex_text(&p, &tok, problem) != 0) {
						free(tok.word);
						goto fail;
					}
				} else {
					start = p;
					while (*p != '\0' && !lex_blank(*p))
						p++;
					if (p == start) {
						xasprintf(problem,
						    "missing value after \"%s=\"",
						    tok.word);
						free(tok.word);
						goto fail;
					}
					tok.value = xstrndup(start,
					    (size_t)(p - start));
					tok.vkind = LEXV_WORD;
				}
			}
		}
		if (*p != '\0' && !lex_blank(*p)) {
			free(tok.word);
			free(tok.value);
			xasprintf(problem, "expected a blank after a word");
			goto fail;
		}
		out->tok = xreallocarray(out->tok, out->n + 1, sizeof *out->tok);
		out->tok[out->n++] = tok;
	}
fail:
	screenlex_free(out);
	return -1;
}

/* Free the tokens of a line. */
void
screenlex_free(struct lex_line *ll)
{
	for (size_t i = 0; i < ll->n; i++) {
		free(ll->tok[i].word);
		free(ll->tok[i].value);
	}
	free(ll->tok);
	ll->tok = NULL;
	ll->n = 0;
}
