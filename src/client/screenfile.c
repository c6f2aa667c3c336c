/* Loading and checking screen files. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callname.h"
#include "errcode.h"
#include "screenfile.h"
#include "screenitem.h"
#include "screenlex.h"
#include "screenparse.h"
#include "xmalloc.h"

/* steps N TEXT TEXT...: this screen is step N of the wizard whose steps
 * are named. */
static int
screenfile_steps(struct sf_ctx *cx, struct sf_screen *sc,
    const struct lex_line *ll)
{
	char *end;
	long n;

	if (sc->nsteps > 0)
		return screenparse_fail(cx, "duplicate steps");
	if (ll->n < 4 || ll->tok[1].kind != LEX_WORD)
		return screenparse_fail(cx, "expected \"steps N TEXT TEXT...\"");
	n = strtol(ll->tok[1].word, &end, 10);
	if (*end != '\0' || n < 1 || n > (long)ll->n - 2)
		return screenparse_fail(cx, "steps: %s is not one of the %zu steps",
		    ll->tok[1].word, ll->n - 2);
	sc->steps = xcalloc(ll->n - 2, sizeof *sc->steps);
	for (size_t i = 2; i < ll->n; i++) {
		if (ll->tok[i].kind != LEX_TEXT)
			return screenparse_fail(cx, "steps: step names are texts");
		sc->steps[i - 2].s = xstrdup(ll->tok[i].value);
		sc->steps[i - 2].translate =
		    ll->tok[i].vkind == LEXV_TRANSLATE;
		sc->nsteps++;
	}
	sc->step = (int)n;
	return 0;
}

/* One statement. */
static int
screenfile_statement(struct sf_ctx *cx, struct sf_screen *sc,
    const char *want_id, const struct lex_line *ll)
{
	const struct lex_token *kw = &ll->tok[0];
	const char *k;

	if (kw->kind != LEX_WORD)
		return screenparse_fail(cx, "a statement starts with a keyword");
	k = kw->word;
	if (sc->id == NULL && strcmp(k, "screen") != 0)
		return screenparse_fail(cx, "the first statement must be \"screen %s\"",
		    want_id);
	if (strcmp(k, "screen") == 0) {
		if (sc->id != NULL)
			return screenparse_fail(cx, "duplicate screen");
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD)
			return screenparse_fail(cx, "screen needs one name");
		if (strcmp(ll->tok[1].word, want_id) != 0)
			return screenparse_fail(cx, "screen \"%s\" in a file named for "
			    "\"%s\"", ll->tok[1].word, want_id);
		sc->id = xstrdup(want_id);
		return 0;
	}
	if (strcmp(k, "title") == 0)
		return screenparse_text(cx, ll, "title", &sc->title);
	if (strcmp(k, "help") == 0) {
		if (sc->help.s != NULL)
			return screenparse_fail(cx, "duplicate help");
		return screenparse_text(cx, ll, "help", &sc->help);
	}
	if (strcmp(k, "back") == 0) {
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD)
			return screenparse_fail(cx, "back needs one screen, \"previous\" "
			    "or \"none\"");
		if (sc->back != NULL)
			return screenparse_fail(cx, "duplicate back");
		sc->back = xstrdup(ll->tok[1].word);
		sc->back_line = cx->line;
		return 0;
	}
	if (strcmp(k, "auth") == 0) {
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD ||
		    strcmp(ll->tok[1].word, "required") != 0)
			return screenparse_fail(cx, "expected \"auth required\"");
		sc->auth = true;
		return 0;
	}
	if (strcmp(k, "text") == 0) {
		struct sf_item *it = screenitem_add(cx, sc, SF_TEXT, ll, "text");
		struct lex_line one = *ll;

		/* "text if=user_id_kind:email _(...)": a paragraph for
		 * some services only (the log-in wording per profile). */
		if (ll->n == 3 && ll->tok[1].kind == LEX_KEYVAL &&
		    strcmp(ll->tok[1].word, "if") == 0) {
			if (screenparse_keyword(cx, &ll->tok[1], &it->cond) != 0)
				return -1;
			/* screenparse_text reads the text as the second token. */
			one.tok = ll->tok + 1;
			one.n = 2;
		}
		return screenparse_text(cx, &one, "text", &it->text);
	}
	if (strcmp(k, "field") == 0)
		return screenitem_field(cx, sc, ll);
	if (strcmp(k, "option") == 0)
		return screenitem_option(cx, sc, ll);
	if (strcmp(k, "table") == 0)
		return screenitem_table(cx, sc, ll);
	if (strcmp(k, "column") == 0)
		return screenitem_column(cx, sc, ll);
	if (strcmp(k, "map") == 0)
		return screenitem_map(cx, sc, ll);
	if (strcmp(k, "steps") == 0)
		return screenfile_steps(cx, sc, ll);
	if (strcmp(k, "load") == 0) {
		if (ll->n != 2 || ll->tok[1].kind != LEX_WORD ||
		    callname_parse(ll->tok[1].word) != CALL_GENERIC)
			return screenparse_fail(cx, "expected \"load METHOD:/api/...\"");
		if (sc->load != NULL)
			return screenparse_fail(cx, "duplicate load");
		sc->load = xstrdup(ll->tok[1].word);
		return 0;
	}
	if (strcmp(k, "button") == 0)
		return screenitem_button(cx, sc, ll);
	return screenparse_fail(cx, "unknown keyword \"%s\"", k);
}

/* Read one file into sc. */
static int
screenfile_load_file(const char *path, const char *id, struct sf_screen *sc,
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
			rc = screenparse_fail(&cx, "%s", problem);
			free(problem);
			break;
		}
		if (ll.n == 0)
			continue;
		rc = screenfile_statement(&cx, sc, id, &ll);
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
		return screenparse_fail(&cx, "missing \"screen %s\" line", id);
	if (sc->title.s == NULL)
		return screenparse_fail(&cx, "missing title");
	if (sc->back == NULL)
		sc->back = xstrdup(strcmp(id, "home") == 0 ? "none" : "previous");
	return 0;
}

/* A screen id named in a file must exist ("previous" where allowed). */
static int
screenfile_check_target(struct sf_ctx *cx, const struct sf_set *set,
    const char *id, bool previous_ok, bool none_ok)
{
	if (previous_ok && strcmp(id, "previous") == 0)
		return 0;
	/* "reg_details_{vars.type}" is chosen at run time. */
	if (strchr(id, '{') != NULL)
		return 0;
	if (none_ok && strcmp(id, "none") == 0)
		return 0;
	if (screenfile_find(set, id) == NULL)
		return screenparse_fail(cx, "no screen \"%s\"", id);
	return 0;
}

/* References between screens and fields, once every file is read. */
static int
screenfile_check_refs(const struct sf_set *set, char **error)
{
	for (size_t s = 0; s < set->n; s++) {
		const struct sf_screen *sc = &set->screen[s];
		struct sf_ctx cx = { sc->path, sc->back_line, error };

		if (screenfile_check_target(&cx, set, sc->back, true, true) != 0)
			return -1;
		for (size_t i = 0; i < sc->nitems; i++) {
			const struct sf_item *it = &sc->item[i];
			int f;

			cx.line = it->line;
			if (it->action == SF_ACT_GOTO &&
			    screenfile_check_target(&cx, set, it->target, true, false))
				return -1;
			if (it->next != NULL &&
			    screenfile_check_target(&cx, set, it->next, true, false))
				return -1;
			if (it->fields != NULL &&
			    screenfile_check_target(&cx, set, it->fields, false, false))
				return -1;
			if (it->fail != NULL) {
				const char *colon = strchr(it->fail, ':');
				char code[64];

				snprintf(code, sizeof code, "%.*s",
				    (int)(colon - it->fail), it->fail);
				if (errcode_from_name(code) == ERR_NET_BAD_RESPONSE)
					return screenparse_fail(&cx, "fail=: unknown error "
					    "code \"%s\"", code);
				if (screenfile_check_target(&cx, set, colon + 1, false,
				    false))
					return -1;
			}
			if (it->kind == SF_TABLE && it->ncol == 0)
				return screenparse_fail(&cx, "table \"%s\" has no column "
				    "lines", it->name);
			if (it->open != NULL &&
			    screenfile_check_target(&cx, set, it->open, false, false))
				return -1;
			if (it->kind == SF_FIELD &&
			    it->fkind == SF_FIELD_CHOICE && it->nopt == 0)
				return screenparse_fail(&cx, "choice \"%s\" has no "
				    "option lines", it->name);
			if (it->match != NULL) {
				f = screenfile_item(sc, it->match);
				if (f < 0 || sc->item[f].kind != SF_FIELD)
					return screenparse_fail(&cx, "match=%s: no field "
					    "\"%s\"", it->match, it->match);
			}
			if (it->for_field == NULL)
				continue;
			f = screenfile_item(sc, it->for_field);
			if (f < 0 || sc->item[f].kind != SF_FIELD ||
			    sc->item[f].fkind != SF_FIELD_PASSWORD)
				return screenparse_fail(&cx, "for=%s: no password field "
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
screenfile_filter(const struct dirent *d)
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
	if ((n = scandir(dir, &names, screenfile_filter, alphasort)) < 0) {
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
			rc = screenfile_load_file(path, id, &sc, error);
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
		rc = screenfile_check_refs(out, error);
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
			free(it->required_if);
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
