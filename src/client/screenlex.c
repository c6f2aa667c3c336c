/* Tokenizer for screen files; see screenlex.h for why it is hand-written.
 *
 * A line is copied once, after room for as many tokens as it can hold,
 * into one block; words are cut and strings unescaped in place in the
 * copy (an unescaped string is never longer than its source), so a line
 * costs one allocation whatever its tokens: start-up reads every screen
 * file before the first screen is drawn. */
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

/* Unescape the "quoted string" at *rp (on the quote) to *wp, which is
 * never ahead of *rp; both move past what was read and written.  No
 * terminator is written: the caller ends the string. */
static int
lex_string(char **rp, char **wp, char **problem)
{
	char *r = *rp + 1, *w = *wp, *start = *wp;

	while (*r != '\0' && *r != '"') {
		if (*r == '\\') {
			r++;
			switch (*r) {
			case 'n': *w++ = '\n'; break;
			case 't': *w++ = '\t'; break;
			case '"': *w++ = '"'; break;
			case '\\': *w++ = '\\'; break;
			case '\0':
				xasprintf(problem, "unterminated string");
				return -1;
			default:
				xasprintf(problem, "unknown escape \"\\%c\"", *r);
				return -1;
			}
			r++;
		} else
			*w++ = *r++;
	}
	if (*r != '"') {
		xasprintf(problem, "unterminated string");
		return -1;
	}
	if (!utf8_valid(start, (size_t)(w - start))) {
		xasprintf(problem, "string is not valid UTF-8");
		return -1;
	}
	*rp = r + 1;
	*wp = w;
	return 0;
}

/* Skip blanks and expect c; the message names what was being read. */
static int
lex_expect(char **pp, char c, const char *what, char **problem)
{
	char *p = *pp;

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
 * C or the underscore), written in place from there.  A context is kept
 * glued to the string with gettext's EOT separator, the key pgettext
 * looks up, so that one English word can have two translations (a
 * wizard step "Confirm" and a dialog's "Confirm"). */
static int
lex_translatable(char **pp, char **out, char **problem)
{
	char *p = *pp, *w = *pp;
	bool ctx = *p == 'C';

	*out = w;
	if (ctx) {
		p += 3;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '"') {
			xasprintf(problem, "expected a context string after C_(");
			return -1;
		}
		if (lex_string(&p, &w, problem) != 0)
			return -1;
		if (lex_expect(&p, ',', "after C_(\"context\"", problem) != 0)
			return -1;
		*w++ = '\004';
	} else
		p += 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"') {
		xasprintf(problem, "expected a string after %s(",
		    ctx ? "C_" : "_");
		return -1;
	}
	if (lex_string(&p, &w, problem) != 0)
		return -1;
	if (lex_expect(&p, ')', "after a translatable string", problem) != 0)
		return -1;
	*w = '\0';
	*pp = p;
	return 0;
}

/* Read a quoted or translatable text at *pp into tok. */
static int
lex_text(char **pp, struct lex_token *tok, char **problem)
{
	char *w = *pp;

	if (**pp == '"') {
		tok->vkind = LEXV_PLAIN;
		tok->value = w;
		if (lex_string(pp, &w, problem) != 0)
			return -1;
		*w = '\0';
		return 0;
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
	size_t len = strlen(line);
	/* A token is at least one character and is followed by a blank. */
	size_t most = len / 2 + 1;
	char *p, *end;

	out->tok = xmalloc(most * sizeof *out->tok + len + 1);
	out->n = 0;
	p = memcpy((char *)(out->tok + most), line, len + 1);
	*problem = NULL;
	for (;;) {
		struct lex_token tok;
		char *start;

		while (lex_blank(*p))
			p++;
		if (*p == '\0')
			return 0;
		memset(&tok, 0, sizeof tok);
		/* Where a bare word or value ends, to be cut there. */
		end = NULL;
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
			tok.word = start;
			tok.kind = LEX_WORD;
			end = p;
			if (*p == '=') {
				if (p - start == 0) {
					xasprintf(problem, "\"=\" without a key");
					goto fail;
				}
				*p++ = '\0';
				end = NULL;
				tok.kind = LEX_KEYVAL;
				if (lex_at_text(p)) {
					if (lex_text(&p, &tok, problem) != 0)
						goto fail;
				} else {
					start = p;
					while (*p != '\0' && !lex_blank(*p))
						p++;
					if (p == start) {
						xasprintf(problem,
						    "missing value after \"%s=\"",
						    tok.word);
						goto fail;
					}
					tok.value = start;
					tok.vkind = LEXV_WORD;
					end = p;
				}
			}
		}
		if (*p != '\0' && !lex_blank(*p)) {
			xasprintf(problem, "expected a blank after a word");
			goto fail;
		}
		if (end != NULL && *end != '\0')
			*p++ = '\0';
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
	free(ll->tok);
	ll->tok = NULL;
	ll->n = 0;
}
