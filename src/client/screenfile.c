/* Loading and checking screen files. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apicall.h"
#include "fieldcheck.h"
#include "lang.h"
#include "theme.h"
#include "screenfile.h"
#include "screenlex.h"
#include "xmalloc.h"

/* Where a problem was found, for "FILE:LINE: problem". */
struct sf_ctx {
	const char *path;
	int line;
	char **error;
};

/* Record a problem at the current line; always returns -1. */
static int __attribute__((format(printf, 2, 3)))
sf_fail(struct sf_ctx *cx, const char *fmt, ...)
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
static bool
sf_name_ok(const char *s)
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
static int
sf_take_text(struct sf_ctx *cx, const struct lex_line *ll, const char *kw,
    struct sf_text *out)
{
	if (ll->n != 2 || ll->tok[1].kind != LEX_TEXT)
		return sf_fail(cx, "%s needs one _(\"text\") or \"text\"", kw);
	if (out->s != NULL)
		return sf_fail(cx, "duplicate %s", kw);
	out->s = xstrdup(ll->tok[1].value);
	out->translate = ll->tok[1].vkind == LEXV_TRANSLATE;
	return 0;
}

/* Copy a key=text value. */
static int
sf_keytext(struct sf_ctx *cx, const struct lex_token *t, struct sf_text *out)
{
	if (t->vkind == LEXV_WORD)
		return sf_fail(cx, "%s= needs _(\"text\") or \"text\"", t->word);
	if (out->s != NULL)
		return sf_fail(cx, "duplicate option \"%s\"", t->word);
	out->s = xstrdup(t->value);
	out->translate = t->vkind == LEXV_TRANSLATE;
	return 0;
}

/* Copy a key=word value. */
static int
sf_keyword(struct sf_ctx *cx, const struct lex_token *t, char **out)
{
	if (t->vkind != LEXV_WORD)
		return sf_fail(cx, "%s= needs a word, not a string", t->word);
	if (*out != NULL)
		return sf_fail(cx, "duplicate option \"%s\"", t->word);
	*out = xstrdup(t->value);
	return 0;
}

/* Add an item with a fresh name; refuse duplicates within the screen. */
static struct sf_item *
sf_add_item(struct sf_ctx *cx, struct sf_screen *sc, enum sf_item_kind kind,
    const struct lex_line *ll, const char *kw)
{
	struct sf_item *it;

	if (kind != SF_TEXT) {
		if (ll->n < 2 || ll->tok[1].kind != LEX_WORD) {
			sf_fail(cx, "%s needs a name", kw);
			return NULL;
		}
		if (!sf_name_ok(ll->tok[1].word)) {
			sf_fail(cx, "bad %s name \"%s\"", kw, ll->tok[1].word);
			return NULL;
		}
		if (screenfile_item(sc, ll->tok[1].word) >= 0) {
			sf_fail(cx, "duplicate name \"%s\"", ll->tok[1].word);
			return NULL;
		}
	}
	sc->item = xreallocarray(sc->item, sc->nitems + 1, sizeof *sc->item);
	it = &sc->item[sc->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->line = cx->line;
	if (kind != SF_TEXT)
		it->name = xstrdup(ll->tok[1].word);
	return it;
}

/* field NAME kind=KIND label=TEXT [options] */
static int
sf_field(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	struct sf_item *it = sf_add_item(cx, sc, SF_FIELD, ll, "field");
	char *kind = NULL, *max = NULL;
	int rc = -1;

	if (it == NULL)
		return -1;
	for (size_t i = 2; i < ll->n; i++) {
		const struct lex_token *t = &ll->tok[i];

		if (t->kind == LEX_WORD && strcmp(t->word, "required") == 0)
			it->required = true;
		else if (t->kind == LEX_WORD && strcmp(t->word, "nopaste") == 0)
			it->nopaste = true;
		else if (t->kind == LEX_WORD && strcmp(t->word, "nosend") == 0)
			it->nosend = true;
		else if (t->kind == LEX_WORD && strcmp(t->word, "secret") == 0)
			it->secret = true;
		else if (t->kind != LEX_KEYVAL) {
			sf_fail(cx, "unknown field option \"%s\"",
			    t->word != NULL ? t->word : t->value);
			goto out;
		} else if (strcmp(t->word, "kind") == 0) {
			if (sf_keyword(cx, t, &kind) != 0)
				goto out;
		} else if (strcmp(t->word, "label") == 0) {
			if (sf_keytext(cx, t, &it->text) != 0)
				goto out;
		} else if (strcmp(t->word, "help") == 0) {
			if (sf_keytext(cx, t, &it->help) != 0)
				goto out;
		} else if (strcmp(t->word, "max") == 0) {
			if (sf_keyword(cx, t, &max) != 0)
				goto out;
		} else if (strcmp(t->word, "rule") == 0) {
			if (sf_keyword(cx, t, &it->rule) != 0)
				goto out;
		} else if (strcmp(t->word, "for") == 0) {
			if (sf_keyword(cx, t, &it->for_field) != 0)
				goto out;
		} else if (strcmp(t->word, "if") == 0) {
			if (sf_keyword(cx, t, &it->cond) != 0)
				goto out;
		} else if (strcmp(t->word, "value") == 0) {
			if (sf_keytext(cx, t, &it->value) != 0)
				goto out;
		} else if (strcmp(t->word, "match") == 0) {
			if (sf_keyword(cx, t, &it->match) != 0)
				goto out;
		} else if (strcmp(t->word, "send") == 0) {
			if (sf_keyword(cx, t, &it->send) != 0)
				goto out;
		} else {
			sf_fail(cx, "unknown field option \"%s\"", t->word);
			goto out;
		}
	}
	if (kind == NULL) {
		sf_fail(cx, "field \"%s\" has no kind=", it->name);
		goto out;
	}
	/* Kinds that are text fields with a shared rule (docs/screens.md):
	 * kind=phone is rule=phone, digits only, and so on. */
	static const struct {
		const char *kind, *rule;
		long max;
		bool digits;
	} sf_text_kinds[] = {
		{ "email", "email", 255, false },
		{ "katakana", "katakana", 64, false },
		{ "latin_name", "latin_name", 104, false },
		{ "phone", "phone", 11, true },
		{ "postal_code", "postal_code", 7, true },
		{ "date", "date", 10, false },
	};
	size_t tk;

	for (tk = 0; tk < sizeof sf_text_kinds / sizeof sf_text_kinds[0]; tk++) {
		if (strcmp(kind, sf_text_kinds[tk].kind) == 0)
			break;
	}
	if (tk < sizeof sf_text_kinds / sizeof sf_text_kinds[0]) {
		it->fkind = SF_FIELD_TEXT;
		if (it->rule == NULL)
			it->rule = xstrdup(sf_text_kinds[tk].rule);
		if (max == NULL)
			it->max = sf_text_kinds[tk].max;
		it->digits = sf_text_kinds[tk].digits;
	} else if (strcmp(kind, "text") == 0)
		it->fkind = SF_FIELD_TEXT;
	else if (strcmp(kind, "checkbox") == 0)
		it->fkind = SF_FIELD_TOGGLE;
	else if (strcmp(kind, "readonly") == 0)
		it->fkind = SF_FIELD_READONLY;
	else if (strcmp(kind, "password") == 0)
		it->fkind = SF_FIELD_PASSWORD;
	else if (strcmp(kind, "toggle") == 0)
		it->fkind = SF_FIELD_TOGGLE;
	else if (strcmp(kind, "choice") == 0)
		it->fkind = SF_FIELD_CHOICE;
	else {
		sf_fail(cx, "unknown field kind \"%s\"", kind);
		goto out;
	}
	if (it->text.s == NULL) {
		sf_fail(cx, "field \"%s\" has no label=", it->name);
		goto out;
	}
	if (max != NULL) {
		char *end;

		errno = 0;
		it->max = strtol(max, &end, 10);
		if (errno != 0 || *end != '\0' || it->max < 1 ||
		    it->max > 65536) {
			sf_fail(cx, "max=%s is not a number from 1 to 65536", max);
			goto out;
		}
	}
	if (it->rule != NULL && !fieldcheck_rule_known(it->rule)) {
		sf_fail(cx, "unknown rule \"%s\"", it->rule);
		goto out;
	}
	if (it->fkind == SF_FIELD_TOGGLE) {
		if (it->rule != NULL || it->max != 0) {
			sf_fail(cx, "a toggle takes no rule or max");
			goto out;
		}
	} else if (it->for_field != NULL) {
		sf_fail(cx, "for= is only for a toggle");
		goto out;
	}
	rc = 0;
out:
	free(kind);
	free(max);
	return rc;
}

/* steps N TEXT TEXT...: this screen is step N of the wizard whose steps
 * are named. */
static int
sf_steps(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	char *end;
	long n;

	if (sc->nsteps > 0)
		return sf_fail(cx, "duplicate steps");
	if (ll->n < 4 || ll->tok[1].kind != LEX_WORD)
		return sf_fail(cx, "expected \"steps N TEXT TEXT...\"");
	n = strtol(ll->tok[1].word, &end, 10);
	if (*end != '\0' || n < 1 || n > (long)ll->n - 2)
		return sf_fail(cx, "steps: %s is not one of the %zu steps",
		    ll->tok[1].word, ll->n - 2);
	sc->steps = xcalloc(ll->n - 2, sizeof *sc->steps);
	for (size_t i = 2; i < ll->n; i++) {
		if (ll->tok[i].kind != LEX_TEXT)
			return sf_fail(cx, "steps: step names are texts");
		sc->steps[i - 2].s = xstrdup(ll->tok[i].value);
		sc->steps[i - 2].translate =
		    ll->tok[i].vkind == LEXV_TRANSLATE;
		sc->nsteps++;
	}
	sc->step = (int)n;
	return 0;
}

/* table NAME source=GET:/api/... [page_size=N|PATH] [open=SCREEN]
 * [nopager] [label=TEXT] */
static int
sf_table(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	struct sf_item *it = sf_add_item(cx, sc, SF_TABLE, ll, "table");

	if (it == NULL)
		return -1;
	for (size_t i = 2; i < ll->n; i++) {
		const struct lex_token *t = &ll->tok[i];
		int rc;

		if (t->kind == LEX_WORD && strcmp(t->word, "nopager") == 0) {
			it->nopager = true;
			continue;
		}
		if (t->kind != LEX_KEYVAL)
			rc = sf_fail(cx, "unknown table option \"%s\"",
			    t->word != NULL ? t->word : t->value);
		else if (strcmp(t->word, "source") == 0)
			rc = sf_keyword(cx, t, &it->source);
		else if (strcmp(t->word, "page_size") == 0)
			rc = sf_keyword(cx, t, &it->page_size);
		else if (strcmp(t->word, "open") == 0)
			rc = sf_keyword(cx, t, &it->open);
		else if (strcmp(t->word, "label") == 0)
			rc = sf_keytext(cx, t, &it->text);
		else if (strcmp(t->word, "if") == 0)
			rc = sf_keyword(cx, t, &it->cond);
		else
			rc = sf_fail(cx, "unknown table option \"%s\"", t->word);
		if (rc != 0)
			return -1;
	}
	if (it->source == NULL || strncmp(it->source, "GET:/api/", 9) != 0)
		return sf_fail(cx, "table \"%s\" needs source=GET:/api/...",
		    it->name);
	return 0;
}

/* column KEY TEXT: one column of the table just above. */
static int
sf_column(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	struct sf_item *it = sc->nitems > 0 ? &sc->item[sc->nitems - 1] : NULL;
	struct sf_column *c;

	if (it == NULL || it->kind != SF_TABLE)
		return sf_fail(cx, "column must follow a table");
	if (ll->n != 3 || ll->tok[1].kind != LEX_WORD ||
	    ll->tok[2].kind != LEX_TEXT)
		return sf_fail(cx, "expected \"column KEY TEXT\"");
	it->col = xreallocarray(it->col, it->ncol + 1, sizeof *it->col);
	c = &it->col[it->ncol++];
	memset(c, 0, sizeof *c);
	c->key = xstrdup(ll->tok[1].word);
	c->title.s = xstrdup(ll->tok[2].value);
	c->title.translate = ll->tok[2].vkind == LEXV_TRANSLATE;
	return 0;
}

/* map VALUE TEXT: how the column just above shows a value. */
static int
sf_map(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	struct sf_item *it = sc->nitems > 0 ? &sc->item[sc->nitems - 1] : NULL;
	struct sf_column *c;
	struct sf_option *o;

	if (it == NULL || it->kind != SF_TABLE || it->ncol == 0)
		return sf_fail(cx, "map must follow a column");
	if (ll->n != 3 || ll->tok[1].kind != LEX_WORD ||
	    ll->tok[2].kind != LEX_TEXT)
		return sf_fail(cx, "expected \"map VALUE TEXT\"");
	c = &it->col[it->ncol - 1];
	c->map = xreallocarray(c->map, c->nmap + 1, sizeof *c->map);
	o = &c->map[c->nmap++];
	o->value = xstrdup(ll->tok[1].word);
	o->text.s = xstrdup(ll->tok[2].value);
	o->text.translate = ll->tok[2].vkind == LEXV_TRANSLATE;
	return 0;
}

/* option VALUE TEXT: one answer of the choice field just above. */
static int
sf_option(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	struct sf_item *it = sc->nitems > 0 ? &sc->item[sc->nitems - 1] : NULL;
	struct sf_option *o;

	if (it == NULL || it->kind != SF_FIELD || it->fkind != SF_FIELD_CHOICE)
		return sf_fail(cx, "option must follow a choice field");
	if (ll->n != 3 || ll->tok[1].kind != LEX_WORD ||
	    ll->tok[2].kind != LEX_TEXT)
		return sf_fail(cx, "expected \"option VALUE TEXT\"");
	for (size_t i = 0; i < it->nopt; i++) {
		if (strcmp(it->opt[i].value, ll->tok[1].word) == 0)
			return sf_fail(cx, "duplicate option \"%s\"",
			    ll->tok[1].word);
	}
	it->opt = xreallocarray(it->opt, it->nopt + 1, sizeof *it->opt);
	o = &it->opt[it->nopt++];
	o->value = xstrdup(ll->tok[1].word);
	o->text.s = xstrdup(ll->tok[2].value);
	o->text.translate = ll->tok[2].vkind == LEXV_TRANSLATE;
	return 0;
}

/* Set a button's action once. */
static int
sf_action(struct sf_ctx *cx, struct sf_item *it, enum sf_action a,
    const struct lex_token *t)
{
	if (it->action != SF_ACT_NONE)
		return sf_fail(cx, "a button has one action");
	it->action = a;
	if (t != NULL)
		return sf_keyword(cx, t, &it->target);
	return 0;
}

/* button NAME label=TEXT action */
static int
sf_button(struct sf_ctx *cx, struct sf_screen *sc, const struct lex_line *ll)
{
	struct sf_item *it = sf_add_item(cx, sc, SF_BUTTON, ll, "button");

	if (it == NULL)
		return -1;
	for (size_t i = 2; i < ll->n; i++) {
		const struct lex_token *t = &ll->tok[i];
		int rc;

		if (t->kind == LEX_WORD && strcmp(t->word, "quit") == 0)
			rc = sf_action(cx, it, SF_ACT_QUIT, NULL);
		else if (t->kind == LEX_WORD && strcmp(t->word, "validate") == 0) {
			it->validate = true;
			rc = 0;
		} else if (t->kind == LEX_KEYVAL && strcmp(t->word, "if") == 0)
			rc = sf_keyword(cx, t, &it->cond);
		else if (t->kind != LEX_KEYVAL)
			rc = sf_fail(cx, "unknown button option \"%s\"",
			    t->word != NULL ? t->word : t->value);
		else if (strcmp(t->word, "label") == 0)
			rc = sf_keytext(cx, t, &it->text);
		else if (strcmp(t->word, "goto") == 0)
			rc = sf_action(cx, it, SF_ACT_GOTO, t);
		else if (strcmp(t->word, "call") == 0)
			rc = sf_action(cx, it, SF_ACT_CALL, t);
		else if (strcmp(t->word, "lang") == 0)
			rc = sf_action(cx, it, SF_ACT_LANG, t);
		else if (strcmp(t->word, "scheme") == 0)
			rc = sf_action(cx, it, SF_ACT_SCHEME, t);
		else if (strcmp(t->word, "next") == 0)
			rc = sf_keyword(cx, t, &it->next);
		else if (strcmp(t->word, "fields") == 0)
			rc = sf_keyword(cx, t, &it->fields);
		else if (strcmp(t->word, "with") == 0)
			rc = sf_keyword(cx, t, &it->with);
		else if (strcmp(t->word, "fail") == 0) {
			rc = sf_keyword(cx, t, &it->fail);
			if (rc == 0 && strchr(it->fail, ':') == NULL)
				rc = sf_fail(cx, "fail= needs CODE:SCREEN");
		} else if (strcmp(t->word, "keep") == 0) {
			rc = sf_keyword(cx, t, &it->keep);
			if (rc == 0 && strchr(it->keep, ':') == NULL)
				rc = sf_fail(cx, "keep= needs NAME:VALUE");
		} else if (strcmp(t->word, "confirm") == 0)
			rc = sf_keytext(cx, t, &it->confirm);
		else
			rc = sf_fail(cx, "unknown button option \"%s\"", t->word);
		if (rc != 0)
			return -1;
	}
	if (it->text.s == NULL)
		return sf_fail(cx, "button \"%s\" has no label=", it->name);
	if (it->action == SF_ACT_NONE)
		return sf_fail(cx, "button \"%s\" has no action", it->name);
	if (it->action == SF_ACT_CALL && it->next == NULL)
		return sf_fail(cx, "call= needs next=");
	if (it->action != SF_ACT_CALL && it->next != NULL)
		return sf_fail(cx, "next= is only for call=");
	if (it->action != SF_ACT_CALL && (it->fields != NULL || it->with != NULL))
		return sf_fail(cx, "fields= and with= are only for call=");
	if (it->action == SF_ACT_CALL && !apicall_known(it->target))
		return sf_fail(cx, "unknown API call \"%s\"", it->target);
	if (it->action == SF_ACT_LANG && !lang_valid(it->target))
		return sf_fail(cx, "unknown language \"%s\"", it->target);
	if (it->action == SF_ACT_SCHEME && !theme_valid(it->target))
		return sf_fail(cx, "unknown colour scheme \"%s\"", it->target);
	return 0;
}

/* One statement. */
static int
sf_statement(struct sf_ctx *cx, struct sf_screen *sc, const char *want_id,
    const struct lex_line *ll)
{
	const struct lex_token *kw = &ll->tok[0];
	const char *k;

	if (kw->kind != LEX_WORD)
		return sf_fail(cx, "a statement starts with a keyword");
	k = kw->word;
	if (sc->id == NULL && strcmp(k, "screen") != 0)
		return sf_fail(cx, "the first statement must be \"screen %s\"",
		    want_id);
	if (strcmp(k, "screen") == 0) {
		if (sc->id != NULL)
			return sf_fail(cx, "duplicate screen");
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD)
			return sf_fail(cx, "screen needs one name");
		if (strcmp(ll->tok[1].word, want_id) != 0)
			return sf_fail(cx, "screen \"%s\" in a file named for "
			    "\"%s\"", ll->tok[1].word, want_id);
		sc->id = xstrdup(want_id);
		return 0;
	}
	if (strcmp(k, "title") == 0)
		return sf_take_text(cx, ll, "title", &sc->title);
	if (strcmp(k, "help") == 0) {
		if (sc->help.s != NULL)
			return sf_fail(cx, "duplicate help");
		return sf_take_text(cx, ll, "help", &sc->help);
	}
	if (strcmp(k, "back") == 0) {
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD)
			return sf_fail(cx, "back needs one screen, \"previous\" "
			    "or \"none\"");
		if (sc->back != NULL)
			return sf_fail(cx, "duplicate back");
		sc->back = xstrdup(ll->tok[1].word);
		sc->back_line = cx->line;
		return 0;
	}
	if (strcmp(k, "auth") == 0) {
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD ||
		    strcmp(ll->tok[1].word, "required") != 0)
			return sf_fail(cx, "expected \"auth required\"");
		sc->auth = true;
		return 0;
	}
	if (strcmp(k, "text") == 0) {
		struct sf_item *it = sf_add_item(cx, sc, SF_TEXT, ll, "text");
		struct lex_line one = *ll;

		/* "text if=user_id_kind:email _(...)": a paragraph for
		 * some services only (the log-in wording per profile). */
		if (ll->n == 3 && ll->tok[1].kind == LEX_KEYVAL &&
		    strcmp(ll->tok[1].word, "if") == 0) {
			if (sf_keyword(cx, &ll->tok[1], &it->cond) != 0)
				return -1;
			/* sf_take_text reads the text as the second token. */
			one.tok = ll->tok + 1;
			one.n = 2;
		}
		return sf_take_text(cx, &one, "text", &it->text);
	}
	if (strcmp(k, "field") == 0)
		return sf_field(cx, sc, ll);
	if (strcmp(k, "option") == 0)
		return sf_option(cx, sc, ll);
	if (strcmp(k, "table") == 0)
		return sf_table(cx, sc, ll);
	if (strcmp(k, "column") == 0)
		return sf_column(cx, sc, ll);
	if (strcmp(k, "map") == 0)
		return sf_map(cx, sc, ll);
	if (strcmp(k, "steps") == 0)
		return sf_steps(cx, sc, ll);
	if (strcmp(k, "load") == 0) {
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD ||
		    !apicall_known(ll->tok[1].word) ||
		    strchr(ll->tok[1].word, ':') == NULL)
			return sf_fail(cx, "expected \"load METHOD:/api/...\"");
		if (sc->load != NULL)
			return sf_fail(cx, "duplicate load");
		sc->load = xstrdup(ll->tok[1].word);
		return 0;
	}
	if (strcmp(k, "button") == 0)
		return sf_button(cx, sc, ll);
	return sf_fail(cx, "unknown keyword \"%s\"", k);
}

/* Read one file into sc. */
static int
sf_load_file(const char *path, const char *id, struct sf_screen *sc,
    char **error)
{
	struct sf_ctx cx = { path, 0, error };
	FILE *f;
	char *line = NULL, *problem;
	size_t cap = 0;
	int rc = 0;

	memset(sc, 0, sizeof *sc);
	sc->path = xstrdup(path);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		struct lex_line ll;
		const char *p = line;

		cx.line++;
		while (*p == ' ' || *p == '\t')
			p++;
		/* "//" lines too, so that xgettext, reading the file as C,
		 * takes "// L10N:" notes to the translators. */
		if (*p == '#' || (p[0] == '/' && p[1] == '/'))
			continue;
		if (screenlex_line(line, &ll, &problem) != 0) {
			rc = sf_fail(&cx, "%s", problem);
			free(problem);
			break;
		}
		if (ll.n == 0)
			continue;
		rc = sf_statement(&cx, sc, id, &ll);
		screenlex_free(&ll);
		if (rc != 0)
			break;
	}
	free(line);
	fclose(f);
	if (rc != 0)
		return rc;
	if (cx.line == 0)
		cx.line = 1;
	if (sc->id == NULL)
		return sf_fail(&cx, "missing \"screen %s\" line", id);
	if (sc->title.s == NULL)
		return sf_fail(&cx, "missing title");
	if (sc->back == NULL)
		sc->back = xstrdup(strcmp(id, "home") == 0 ? "none" : "previous");
	return 0;
}

/* A screen id named in a file must exist ("previous" where allowed). */
static int
sf_check_target(struct sf_ctx *cx, const struct sf_set *set, const char *id,
    bool previous_ok, bool none_ok)
{
	if (previous_ok && strcmp(id, "previous") == 0)
		return 0;
	/* "reg_details_{vars.type}" is chosen at run time. */
	if (strchr(id, '{') != NULL)
		return 0;
	if (none_ok && strcmp(id, "none") == 0)
		return 0;
	if (screenfile_find(set, id) == NULL)
		return sf_fail(cx, "no screen \"%s\"", id);
	return 0;
}

/* References between screens and fields, once every file is read. */
static int
sf_check_refs(const struct sf_set *set, char **error)
{
	for (size_t s = 0; s < set->n; s++) {
		const struct sf_screen *sc = &set->screen[s];
		struct sf_ctx cx = { sc->path, sc->back_line, error };

		if (sf_check_target(&cx, set, sc->back, true, true) != 0)
			return -1;
		for (size_t i = 0; i < sc->nitems; i++) {
			const struct sf_item *it = &sc->item[i];
			int f;

			cx.line = it->line;
			if (it->action == SF_ACT_GOTO &&
			    sf_check_target(&cx, set, it->target, true, false))
				return -1;
			if (it->next != NULL &&
			    sf_check_target(&cx, set, it->next, true, false))
				return -1;
			if (it->fields != NULL &&
			    sf_check_target(&cx, set, it->fields, false, false))
				return -1;
			if (it->fail != NULL) {
				const char *colon = strchr(it->fail, ':');
				char code[64];

				snprintf(code, sizeof code, "%.*s",
				    (int)(colon - it->fail), it->fail);
				if (errcode_from_name(code) == ERR_NET_BAD_RESPONSE)
					return sf_fail(&cx, "fail=: unknown error "
					    "code \"%s\"", code);
				if (sf_check_target(&cx, set, colon + 1, false,
				    false))
					return -1;
			}
			if (it->kind == SF_TABLE && it->ncol == 0)
				return sf_fail(&cx, "table \"%s\" has no column "
				    "lines", it->name);
			if (it->open != NULL &&
			    sf_check_target(&cx, set, it->open, false, false))
				return -1;
			if (it->kind == SF_FIELD &&
			    it->fkind == SF_FIELD_CHOICE && it->nopt == 0)
				return sf_fail(&cx, "choice \"%s\" has no "
				    "option lines", it->name);
			if (it->match != NULL) {
				f = screenfile_item(sc, it->match);
				if (f < 0 || sc->item[f].kind != SF_FIELD)
					return sf_fail(&cx, "match=%s: no field "
					    "\"%s\"", it->match, it->match);
			}
			if (it->for_field == NULL)
				continue;
			f = screenfile_item(sc, it->for_field);
			if (f < 0 || sc->item[f].kind != SF_FIELD ||
			    sc->item[f].fkind != SF_FIELD_PASSWORD)
				return sf_fail(&cx, "for=%s: no password field "
				    "\"%s\"", it->for_field, it->for_field);
		}
	}
	if (screenfile_find(set, "home") == NULL) {
		xasprintf(error, "no home.screen: the start screen is missing");
		return -1;
	}
	return 0;
}

/* Only *.screen files, not hidden ones. */
static int
sf_filter(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 7 &&
	    strcmp(d->d_name + len - 7, ".screen") == 0;
}

/* Load every screen in dir, in name order so errors are reproducible. */
int
screenfile_load_dir(const char *dir, struct sf_set *out, char **error)
{
	struct dirent **names;
	int n, rc = 0;
	size_t dlen = strlen(dir);
	const char *sep = dlen > 0 && dir[dlen - 1] == '/' ? "" : "/";

	out->screen = NULL;
	out->n = 0;
	*error = NULL;
	if ((n = scandir(dir, &names, sf_filter, alphasort)) < 0) {
		xasprintf(error, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *path, *id;
		struct sf_screen sc;

		if (rc == 0) {
			xasprintf(&path, "%s%s%s", dir, sep, names[i]->d_name);
			id = xstrndup(names[i]->d_name,
			    strlen(names[i]->d_name) - 7);
			rc = sf_load_file(path, id, &sc, error);
			out->screen = xreallocarray(out->screen, out->n + 1,
			    sizeof *out->screen);
			out->screen[out->n++] = sc;
			free(path);
			free(id);
		}
		free(names[i]);
	}
	free(names);
	if (rc == 0)
		rc = sf_check_refs(out, error);
	return rc;
}

/* A screen by id. */
const struct sf_screen *
screenfile_find(const struct sf_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++) {
		if (set->screen[i].id != NULL &&
		    strcmp(set->screen[i].id, id) == 0)
			return &set->screen[i];
	}
	return NULL;
}

/* Index of a named item. */
int
screenfile_item(const struct sf_screen *sc, const char *name)
{
	for (size_t i = 0; i < sc->nitems; i++) {
		if (sc->item[i].name != NULL &&
		    strcmp(sc->item[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Free everything. */
void
screenfile_free(struct sf_set *set)
{
	for (size_t s = 0; s < set->n; s++) {
		struct sf_screen *sc = &set->screen[s];

		for (size_t i = 0; i < sc->nitems; i++) {
			struct sf_item *it = &sc->item[i];

			free(it->name);
			free(it->text.s);
			free(it->rule);
			free(it->for_field);
			free(it->match);
			free(it->send);
			for (size_t o = 0; o < it->nopt; o++) {
				free(it->opt[o].value);
				free(it->opt[o].text.s);
			}
			free(it->opt);
			for (size_t c = 0; c < it->ncol; c++) {
				free(it->col[c].key);
				free(it->col[c].title.s);
				for (size_t m = 0; m < it->col[c].nmap; m++) {
					free(it->col[c].map[m].value);
					free(it->col[c].map[m].text.s);
				}
				free(it->col[c].map);
			}
			free(it->col);
			free(it->source);
			free(it->page_size);
			free(it->open);
			free(it->help.s);
			free(it->target);
			free(it->next);
			free(it->fields);
			free(it->with);
			free(it->keep);
			free(it->fail);
			free(it->value.s);
			free(it->cond);
			free(it->confirm.s);
		}
		for (size_t i = 0; i < sc->nsteps; i++)
			free(sc->steps[i].s);
		free(sc->steps);
		free(sc->load);
		free(sc->item);
		free(sc->id);
		free(sc->path);
		free(sc->title.s);
		free(sc->help.s);
		free(sc->back);
	}
	free(set->screen);
	set->screen = NULL;
	set->n = 0;
}
