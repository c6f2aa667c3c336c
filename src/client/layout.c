/* Rows of a screen for the current width and language. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "fieldcheck.h"
#include "i18n.h"
#include "lang.h"
#include "layout.h"
#include "text.h"
#include "xmalloc.h"

/* Widest box a field gets: wider only makes the eye travel. */
#define LAYOUT_BOX_MAX 40
/* Narrowest box beside a label before labels go above their boxes. */
#define LAYOUT_BOX_MIN 16

/* Text as shown: gettext at draw time, so a switch re-renders at once. */
char *
layout_text(const struct placeholder_src *ph, const struct sf_text *t)
{
	if (t->s == NULL)
		return xstrdup("");
	return placeholder_fill(ph, t->translate ? lang_gettext(t->s) : t->s);
}

/* A field's label as shown: a field that must be filled in carries a
 * mark in its text, not in colour alone (the help explains it). */
char *
layout_label(const struct placeholder_src *ph, const struct sf_item *it)
{
	char *label = layout_text(ph, &it->text), *out;

	if (!layout_marked(ph->sess, it))
		return label;
	/* L10N: the label of a field that must be filled in.  The mark is
	   explained in the help ("Items marked * must be filled in."):
	   keep the two the same. */
	xasprintf(&out, _("%s *"), label);
	free(label);
	return out;
}

/* True if the item is a field a person must fill in or tick. */
bool
layout_marked(const struct session *sess, const struct sf_item *it)
{
	return it->kind == SF_FIELD && fieldcheck_required(sess, it) &&
	    it->fkind != SF_FIELD_READONLY;
}

/* Append a row. */
static void
layout_add(struct layout *lo, enum lrow_kind kind, int item, wchar_t *text)
{
	lo->row = xreallocarray(lo->row, lo->n + 1, sizeof *lo->row);
	lo->row[lo->n].kind = kind;
	lo->row[lo->n].item = item;
	lo->row[lo->n].text = text;
	lo->row[lo->n].sub = 0;
	lo->row[lo->n].label = NULL;
	lo->n++;
}

/* Append the wrapped lines of s as rows of kind, all for item. */
static void
layout_add_wrapped(struct layout *lo, enum lrow_kind kind, int item,
    const char *s, int cols)
{
	struct text_lines tl;

	text_wrap(s, cols, &tl);
	for (size_t i = 0; i < tl.n; i++)
		layout_add(lo, kind, item, tl.line[i]);
	free(tl.line);
}

/* Which group an item belongs to, for blank rows between groups. */
static int
layout_group(const struct sf_item *it)
{
	return it->kind == SF_TEXT ? 0 : it->kind == SF_FIELD ? 1 :
	    it->kind == SF_TABLE ? 3 : 2;
}

/* Label width and box geometry for the screen's text fields. */
static void
layout_measure(struct layout *lo, const struct sf_screen *sc,
    const struct placeholder_src *ph)
{
	const struct session *sess = ph->sess;
	long maxlen = 0;

	lo->labelw = 0;
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];
		char *label;
		int w;

		if (it->kind != SF_FIELD || it->fkind == SF_FIELD_TOGGLE ||
		    (it->cond != NULL && !session_cond(sess, it->cond)))
			continue;
		label = layout_label(ph, it);
		w = text_width(label);
		free(label);
		if (w > lo->labelw)
			lo->labelw = w;
		if (it->max == 0 || it->max > maxlen)
			maxlen = it->max == 0 ? LAYOUT_BOX_MAX : it->max;
	}
	lo->stacked = lo->width - lo->labelw - 4 < LAYOUT_BOX_MIN;
	if (lo->stacked) {
		lo->boxx = lo->x0 + 2;
		lo->boxw = lo->width - 4;
	} else {
		lo->boxx = lo->x0 + lo->labelw + 2;
		lo->boxw = lo->width - lo->labelw - 4;
	}
	if (lo->boxw > LAYOUT_BOX_MAX)
		lo->boxw = LAYOUT_BOX_MAX;
	/* A short field gets a short box: max characters and the cursor. */
	if (maxlen > 0 && maxlen + 1 < lo->boxw)
		lo->boxw = (int)maxlen + 1;
	if (lo->boxw < 2)
		lo->boxw = 2;
}

/* A wizard's steps, every step named and the current one in brackets
 * (000 ② shows all five names: a person sees where they are and what
 * comes).  When the names do not fit one row of cols columns (Japanese,
 * Korean), they go on two; only when not even two hold them, the
 * numbers with the current step named, then "Step 3 of 5: Details". */
static void
layout_steps(struct layout *lo, const struct sf_screen *sc,
    const struct placeholder_src *ph, int cols)
{
	char **rows = lo->steps, *name;
	int used = 1;

	rows[0] = xstrdup("");
	for (size_t i = 0; i < sc->nsteps; i++) {
		char *item, *next, **row = &rows[used - 1];
		bool here = (int)i + 1 == sc->step;

		name = layout_text(ph, &sc->steps[i]);
		xasprintf(&item, "%s%zu %s%s", here ? "[" : "", i + 1, name,
		    here ? "]" : "");
		free(name);
		xasprintf(&next, "%s%s%s", *row, **row != '\0' ? "  " : "",
		    item);
		if (text_width(next) > cols && **row != '\0' && used < 2) {
			/* The rest on the second row. */
			free(next);
			rows[used++] = item;
			continue;
		}
		free(*row);
		*row = next;
		free(item);
	}
	if (text_width(rows[0]) > cols || (rows[1] != NULL &&
	    text_width(rows[1]) > cols)) {
		/* Too long even on two rows: numbers only, the current
		 * step named ("1  2  [3 利用者情報の入力]  4  5"). */
		name = layout_text(ph, &sc->steps[sc->step - 1]);
		free(rows[0]);
		free(rows[1]);
		rows[1] = NULL;
		used = 1;
		rows[0] = xstrdup("");
		for (size_t i = 0; i < sc->nsteps; i++) {
			char *next;
			bool here = (int)i + 1 == sc->step;

			if (here)
				xasprintf(&next, "%s%s[%zu %s]", rows[0],
				    i > 0 ? "  " : "", i + 1, name);
			else
				xasprintf(&next, "%s%s%zu", rows[0],
				    i > 0 ? "  " : "", i + 1);
			free(rows[0]);
			rows[0] = next;
		}
		if (text_width(rows[0]) > cols) {
			free(rows[0]);
			/* L10N: a wizard's progress when the steps do not
			   fit. */
			xasprintf(&rows[0], _("Step %d of %zu: %s"), sc->step,
			    sc->nsteps, name);
		}
		free(name);
	}
	lo->nsteps = used;
}

/* Lay the screen out. */
void
layout_build(struct layout *lo, const struct sf_screen *sc,
    const struct placeholder_src *ph, int x0, int width, int cols)
{
	const struct session *sess = ph->sess;
	struct store *st = ph->store;
	int prev = -1;
	int notew;

	memset(lo, 0, sizeof *lo);
	lo->x0 = x0;
	lo->width = width < 10 ? 10 : width;
	if (sc->nsteps > 0)
		layout_steps(lo, sc, ph, cols - 2);
	layout_measure(lo, sc, ph);
	notew = lo->width - (lo->boxx - lo->x0);
	if (notew < 10)
		notew = 10;
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];
		int group = layout_group(it);
		char *s;

		/* A kiosk has no Quit entry; a flow the service does not
		 * offer has no button. */
		if (sess->kiosk && it->kind == SF_BUTTON &&
		    it->action == SF_ACT_QUIT)
			continue;
		if (it->cond != NULL && !session_cond(sess, it->cond))
			continue;
		/* A sentence quoting rules the service has not told yet
		 * would show "{limits...}": leave it out until known. */
		if (it->kind == SF_TEXT && it->text.s != NULL &&
		    !placeholder_known(ph, it->text.translate ?
		    lang_gettext(it->text.s) : it->text.s))
			continue;
		s = it->kind == SF_FIELD ? layout_label(ph, it) :
		    layout_text(ph, &it->text);
		if (prev >= 0 && (group != prev || group == 0))
			layout_add(lo, LR_BLANK, -1, NULL);
		prev = group;
		if (it->kind == SF_TEXT) {
			layout_add_wrapped(lo, LR_TEXT, (int)i, s, lo->width);
			free(s);
			continue;
		}
		if (it->kind == SF_TABLE) {
			const cJSON *page = sess->vars != NULL ?
			    cJSON_GetObjectItemCaseSensitive(sess->vars,
			    it->name) : NULL;
			int n = cJSON_GetArraySize(
			    cJSON_GetObjectItemCaseSensitive(page, "items"));

			if (it->text.s != NULL)
				layout_add(lo, LR_LABEL, (int)i, text_widen(s));
			/* 003 §5 shows the page controls above the list,
			 * where a long page does not push them out of sight. */
			if (!it->nopager)
				layout_add(lo, LR_TPAGER, (int)i, NULL);
			layout_add(lo, LR_THEAD, (int)i, NULL);
			for (int r = 0; r < n; r++) {
				layout_add(lo, LR_TROW, (int)i, NULL);
				lo->row[lo->n - 1].sub = r;
			}
			if (n == 0)
				layout_add(lo, LR_TEXT, (int)i, text_widen(
				    _("There is nothing to show.")));
		} else if (it->kind == SF_BUTTON)
			layout_add(lo, LR_BUTTON, (int)i, text_widen(s));
		else if (it->fkind == SF_FIELD_TOGGLE)
			layout_add(lo, LR_TOGGLE, (int)i, text_widen(s));
		else if (it->fkind == SF_FIELD_CHOICE) {
			/* The label on the first answer's row; one row per
			 * answer, so each can carry the cursor. */
			struct fieldval *fv = store_get(st, sc->id, it->name);

			if (lo->stacked)
				layout_add(lo, LR_LABEL, (int)i, text_widen(s));
			for (size_t o = 0; o < it->nopt; o++) {
				char *ot = layout_text(ph, &it->opt[o].text);

				layout_add(lo, LR_CHOICE, (int)i, text_widen(ot));
				lo->row[lo->n - 1].sub = (int)o;
				if (o == 0 && !lo->stacked)
					lo->row[lo->n - 1].label = text_widen(s);
				free(ot);
			}
			if (fv->err != ERR_NONE) {
				char *m = errmsg_text(fv->err, &fv->params, NULL);
				char *line;

				xasprintf(&line, "! %s", m);
				layout_add_wrapped(lo, LR_ERROR, (int)i, line,
				    notew);
				free(line);
				free(m);
			}
		} else {
			struct fieldval *fv = store_get(st, sc->id, it->name);

			if (lo->stacked) {
				layout_add(lo, LR_LABEL, (int)i, text_widen(s));
				layout_add(lo, LR_FIELD, (int)i, NULL);
			} else
				layout_add(lo, LR_FIELD, (int)i, text_widen(s));
			if (it->help.s != NULL) {
				char *h = layout_text(ph, &it->help);

				layout_add_wrapped(lo, LR_NOTE, (int)i, h, notew);
				free(h);
			}
			if (fv->err != ERR_NONE) {
				/* Beside the field the label is implied: the
				 * message line names it. */
				char *m = errmsg_text(fv->err, &fv->params, NULL);
				char *line;

				xasprintf(&line, "! %s", m);
				layout_add_wrapped(lo, LR_ERROR, (int)i, line,
				    notew);
				free(line);
				free(m);
			}
		}
		free(s);
	}
}

/* First and last row of an item. */
void
layout_item_rows(const struct layout *lo, int item, int *first, int *last)
{
	*first = *last = -1;
	for (size_t r = 0; r < lo->n; r++) {
		if (lo->row[r].item != item)
			continue;
		if (*first < 0)
			*first = (int)r;
		*last = (int)r;
	}
}

/* Free the rows. */
void
layout_free(struct layout *lo)
{
	for (size_t r = 0; r < lo->n; r++) {
		free(lo->row[r].text);
		free(lo->row[r].label);
	}
	free(lo->row);
	free(lo->steps[0]);
	free(lo->steps[1]);
	memset(lo, 0, sizeof *lo);
}
