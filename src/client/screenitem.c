/* The item statements of a screen file: field, option, table, column,
 * map and button. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callname.h"
#include "fieldcheck.h"
#include "lang.h"
#include "screenitem.h"
#include "theme.h"
#include "xmalloc.h"

/* Room for item n: 8 at first, then twice as many each time the array is
 * full (n a power of two), rather than one realloc, and one copy of every
 * item so far, per item. */
static struct sf_item *
screenitem_room(struct sf_item *item, size_t n)
{
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
		item = xreallocarray(item, n < 8 ? 8 : n * 2, sizeof *item);
	return item;
}

/* Add an item with a fresh name; refuse duplicates within the screen. */
struct sf_item *
screenitem_add(struct sf_ctx *cx, struct sf_screen *sc, enum sf_item_kind kind,
    const struct lex_line *ll, const char *kw)
{
	struct sf_item *it;

	if (kind != SF_TEXT) {
		if (ll->n < 2 || ll->tok[1].kind != LEX_WORD) {
			screenparse_fail(cx, "%s needs a name", kw);
			return NULL;
		}
		if (!screenparse_name(ll->tok[1].word)) {
			screenparse_fail(cx, "bad %s name \"%s\"", kw, ll->tok[1].word);
			return NULL;
		}
		for (size_t i = 0; i < sc->nitems; i++) {
			if (sc->item[i].name != NULL &&
			    strcmp(sc->item[i].name, ll->tok[1].word) == 0) {
				screenparse_fail(cx, "duplicate name \"%s\"",
				    ll->tok[1].word);
				return NULL;
			}
		}
	}
	sc->item = screenitem_room(sc->item, sc->nitems);
	it = &sc->item[sc->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->line = cx->line;
	if (kind != SF_TEXT)
		it->name = xstrdup(ll->tok[1].word);
	return it;
}

/* field NAME kind=KIND label=TEXT [options] */
int
screenitem_field(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	struct sf_item *it = screenitem_add(cx, sc, SF_FIELD, ll, "field");
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
		else if (t->kind == LEX_KEYVAL &&
		    strcmp(t->word, "required") == 0) {
			it->required = true;
			if (screenparse_keyword(cx, t, &it->required_if) != 0)
				goto out;
		} else if (t->kind != LEX_KEYVAL) {
			screenparse_fail(cx, "unknown field option \"%s\"",
			    t->word != NULL ? t->word : t->value);
			goto out;
		} else if (strcmp(t->word, "kind") == 0) {
			if (screenparse_keyword(cx, t, &kind) != 0)
				goto out;
		} else if (strcmp(t->word, "label") == 0) {
			if (screenparse_keytext(cx, t, &it->text) != 0)
				goto out;
		} else if (strcmp(t->word, "help") == 0) {
			if (screenparse_keytext(cx, t, &it->help) != 0)
				goto out;
		} else if (strcmp(t->word, "max") == 0) {
			if (screenparse_keyword(cx, t, &max) != 0)
				goto out;
		} else if (strcmp(t->word, "rule") == 0) {
			if (screenparse_keyword(cx, t, &it->rule) != 0)
				goto out;
		} else if (strcmp(t->word, "for") == 0) {
			if (screenparse_keyword(cx, t, &it->for_field) != 0)
				goto out;
		} else if (strcmp(t->word, "if") == 0) {
			if (screenparse_keyword(cx, t, &it->cond) != 0)
				goto out;
		} else if (strcmp(t->word, "value") == 0) {
			if (screenparse_keytext(cx, t, &it->value) != 0)
				goto out;
		} else if (strcmp(t->word, "match") == 0) {
			if (screenparse_keyword(cx, t, &it->match) != 0)
				goto out;
		} else if (strcmp(t->word, "send") == 0) {
			if (screenparse_keyword(cx, t, &it->send) != 0)
				goto out;
		} else {
			screenparse_fail(cx, "unknown field option \"%s\"", t->word);
			goto out;
		}
	}
	if (kind == NULL) {
		screenparse_fail(cx, "field \"%s\" has no kind=", it->name);
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
		screenparse_fail(cx, "unknown field kind \"%s\"", kind);
		goto out;
	}
	if (it->text.s == NULL) {
		screenparse_fail(cx, "field \"%s\" has no label=", it->name);
		goto out;
	}
	if (max != NULL) {
		char *end;

		errno = 0;
		it->max = strtol(max, &end, 10);
		if (errno != 0 || *end != '\0' || it->max < 1 ||
		    it->max > 65536) {
			screenparse_fail(cx, "max=%s is not a number from 1 to 65536", max);
			goto out;
		}
	}
	if (it->rule != NULL && !fieldcheck_rule_known(it->rule)) {
		screenparse_fail(cx, "unknown rule \"%s\"", it->rule);
		goto out;
	}
	if (it->fkind == SF_FIELD_TOGGLE) {
		if (it->rule != NULL || it->max != 0) {
			screenparse_fail(cx, "a toggle takes no rule or max");
			goto out;
		}
	} else if (it->for_field != NULL) {
		screenparse_fail(cx, "for= is only for a toggle");
		goto out;
	}
	rc = 0;
out:
	free(kind);
	free(max);
	return rc;
}

/* table NAME source=GET:/api/... [page_size=N|PATH] [open=SCREEN]
 * [nopager] [label=TEXT] */
int
screenitem_table(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	struct sf_item *it = screenitem_add(cx, sc, SF_TABLE, ll, "table");

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
			rc = screenparse_fail(cx, "unknown table option \"%s\"",
			    t->word != NULL ? t->word : t->value);
		else if (strcmp(t->word, "source") == 0)
			rc = screenparse_keyword(cx, t, &it->source);
		else if (strcmp(t->word, "page_size") == 0)
			rc = screenparse_keyword(cx, t, &it->page_size);
		else if (strcmp(t->word, "open") == 0)
			rc = screenparse_keyword(cx, t, &it->open);
		else if (strcmp(t->word, "label") == 0)
			rc = screenparse_keytext(cx, t, &it->text);
		else if (strcmp(t->word, "if") == 0)
			rc = screenparse_keyword(cx, t, &it->cond);
		else
			rc = screenparse_fail(cx, "unknown table option \"%s\"", t->word);
		if (rc != 0)
			return -1;
	}
	if (it->source == NULL || strncmp(it->source, "GET:/api/", 9) != 0)
		return screenparse_fail(cx, "table \"%s\" needs source=GET:/api/...",
		    it->name);
	return 0;
}

/* column KEY TEXT: one column of the table just above. */
int
screenitem_column(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	struct sf_item *it = sc->nitems > 0 ? &sc->item[sc->nitems - 1] : NULL;
	struct sf_column *c;

	if (it == NULL || it->kind != SF_TABLE)
		return screenparse_fail(cx, "column must follow a table");
	if (ll->n != 3 || ll->tok[1].kind != LEX_WORD ||
	    ll->tok[2].kind != LEX_TEXT)
		return screenparse_fail(cx, "expected \"column KEY TEXT\"");
	it->col = xreallocarray(it->col, it->ncol + 1, sizeof *it->col);
	c = &it->col[it->ncol++];
	memset(c, 0, sizeof *c);
	c->key = xstrdup(ll->tok[1].word);
	c->title.s = xstrdup(ll->tok[2].value);
	c->title.translate = ll->tok[2].vkind == LEXV_TRANSLATE;
	return 0;
}

/* map VALUE TEXT: how the column just above shows a value. */
int
screenitem_map(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	struct sf_item *it = sc->nitems > 0 ? &sc->item[sc->nitems - 1] : NULL;
	struct sf_column *c;
	struct sf_option *o;

	if (it == NULL || it->kind != SF_TABLE || it->ncol == 0)
		return screenparse_fail(cx, "map must follow a column");
	if (ll->n != 3 || ll->tok[1].kind != LEX_WORD ||
	    ll->tok[2].kind != LEX_TEXT)
		return screenparse_fail(cx, "expected \"map VALUE TEXT\"");
	c = &it->col[it->ncol - 1];
	c->map = xreallocarray(c->map, c->nmap + 1, sizeof *c->map);
	o = &c->map[c->nmap++];
	o->value = xstrdup(ll->tok[1].word);
	o->text.s = xstrdup(ll->tok[2].value);
	o->text.translate = ll->tok[2].vkind == LEXV_TRANSLATE;
	return 0;
}

/* option VALUE TEXT: one answer of the choice field just above. */
int
screenitem_option(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	struct sf_item *it = sc->nitems > 0 ? &sc->item[sc->nitems - 1] : NULL;
	struct sf_option *o;

	if (it == NULL || it->kind != SF_FIELD || it->fkind != SF_FIELD_CHOICE)
		return screenparse_fail(cx, "option must follow a choice field");
	if (ll->n != 3 || ll->tok[1].kind != LEX_WORD ||
	    ll->tok[2].kind != LEX_TEXT)
		return screenparse_fail(cx, "expected \"option VALUE TEXT\"");
	for (size_t i = 0; i < it->nopt; i++) {
		if (strcmp(it->opt[i].value, ll->tok[1].word) == 0)
			return screenparse_fail(cx, "duplicate option \"%s\"",
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
screenitem_action(struct sf_ctx *cx, struct sf_item *it, enum sf_action a,
    const struct lex_token *t)
{
	if (it->action != SF_ACT_NONE)
		return screenparse_fail(cx, "a button has one action");
	it->action = a;
	if (t != NULL)
		return screenparse_keyword(cx, t, &it->target);
	return 0;
}

/* button NAME label=TEXT action */
int
screenitem_button(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	struct sf_item *it = screenitem_add(cx, sc, SF_BUTTON, ll, "button");

	if (it == NULL)
		return -1;
	for (size_t i = 2; i < ll->n; i++) {
		const struct lex_token *t = &ll->tok[i];
		int rc;

		if (t->kind == LEX_WORD && strcmp(t->word, "quit") == 0)
			rc = screenitem_action(cx, it, SF_ACT_QUIT, NULL);
		else if (t->kind == LEX_WORD && strcmp(t->word, "validate") == 0) {
			it->validate = true;
			rc = 0;
		} else if (t->kind == LEX_KEYVAL && strcmp(t->word, "if") == 0)
			rc = screenparse_keyword(cx, t, &it->cond);
		else if (t->kind != LEX_KEYVAL)
			rc = screenparse_fail(cx, "unknown button option \"%s\"",
			    t->word != NULL ? t->word : t->value);
		else if (strcmp(t->word, "label") == 0)
			rc = screenparse_keytext(cx, t, &it->text);
		else if (strcmp(t->word, "goto") == 0)
			rc = screenitem_action(cx, it, SF_ACT_GOTO, t);
		else if (strcmp(t->word, "call") == 0)
			rc = screenitem_action(cx, it, SF_ACT_CALL, t);
		else if (strcmp(t->word, "lang") == 0)
			rc = screenitem_action(cx, it, SF_ACT_LANG, t);
		else if (strcmp(t->word, "scheme") == 0)
			rc = screenitem_action(cx, it, SF_ACT_SCHEME, t);
		else if (strcmp(t->word, "next") == 0)
			rc = screenparse_keyword(cx, t, &it->next);
		else if (strcmp(t->word, "fields") == 0)
			rc = screenparse_keyword(cx, t, &it->fields);
		else if (strcmp(t->word, "with") == 0)
			rc = screenparse_keyword(cx, t, &it->with);
		else if (strcmp(t->word, "fail") == 0) {
			rc = screenparse_keyword(cx, t, &it->fail);
			if (rc == 0 && strchr(it->fail, ':') == NULL)
				rc = screenparse_fail(cx, "fail= needs CODE:SCREEN");
		} else if (strcmp(t->word, "keep") == 0) {
			rc = screenparse_keyword(cx, t, &it->keep);
			if (rc == 0 && strchr(it->keep, ':') == NULL)
				rc = screenparse_fail(cx, "keep= needs NAME:VALUE");
		} else if (strcmp(t->word, "confirm") == 0)
			rc = screenparse_keytext(cx, t, &it->confirm);
		else
			rc = screenparse_fail(cx, "unknown button option \"%s\"", t->word);
		if (rc != 0)
			return -1;
	}
	if (it->text.s == NULL)
		return screenparse_fail(cx, "button \"%s\" has no label=", it->name);
	if (it->action == SF_ACT_NONE)
		return screenparse_fail(cx, "button \"%s\" has no action", it->name);
	if (it->action == SF_ACT_CALL && it->next == NULL)
		return screenparse_fail(cx, "call= needs next=");
	if (it->action != SF_ACT_CALL && it->next != NULL)
		return screenparse_fail(cx, "next= is only for call=");
	if (it->action != SF_ACT_CALL && (it->fields != NULL || it->with != NULL))
		return screenparse_fail(cx, "fields= and with= are only for call=");
	if (it->action == SF_ACT_CALL &&
	    callname_parse(it->target) == CALL_UNKNOWN)
		return screenparse_fail(cx, "unknown API call \"%s\"", it->target);
	if (it->action == SF_ACT_LANG && !lang_valid(it->target))
		return screenparse_fail(cx, "unknown language \"%s\"", it->target);
	if (it->action == SF_ACT_SCHEME && !theme_valid(it->target))
		return screenparse_fail(cx, "unknown colour scheme \"%s\"", it->target);
	return 0;
}
