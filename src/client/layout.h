/* Laying a screen out in rows for a given width: paragraphs wrapped by
 * display columns, field labels aligned by display width, buttons one
 * per line, a wizard's steps fitted under the title.  layoutcache.c
 * keeps a layout until something it depends on changes (a language
 * switch, a resize, an error beside a field), so that a key that only
 * changes a field's text lays nothing out again. */
#ifndef MADOGUCHI_LAYOUT_H
#define MADOGUCHI_LAYOUT_H

#include <stdbool.h>
#include <wchar.h>

#include "placeholder.h"
#include "screenfile.h"

enum lrow_kind {
	LR_BLANK,
	LR_TEXT,		/* a line of a paragraph */
	LR_LABEL,		/* a field's label on its own row (narrow) */
	LR_FIELD,		/* text or password field */
	LR_TOGGLE,
	LR_CHOICE,		/* one answer of a choice field (.sub) */
	LR_THEAD,		/* a table's column headings */
	LR_TROW,		/* a table row (.sub: index on the page) */
	LR_TPAGER,		/* a table's page line */
	LR_BUTTON,
	LR_NOTE,		/* a line of a field's help */
	LR_ERROR,		/* a line of a field's error message */
};

struct lrow {
	enum lrow_kind kind;
	int item;		/* -1 for blank rows */
	int sub;		/* LR_CHOICE: the answer's index */
	wchar_t *label;		/* LR_CHOICE: the field's label, first row */
	wchar_t *text;		/* label, paragraph line or message line */
};

struct layout {
	struct lrow *row;
	size_t n;
	int x0;			/* first content column */
	int width;		/* content columns */
	int labelw;		/* widest field label */
	int boxx;		/* column of a field's "[" */
	int boxw;		/* columns inside the brackets */
	bool stacked;		/* labels above their boxes (narrow width) */
	/* A wizard's steps under the title, as shown: one row, or two when
	 * the names do not fit one (UTF-8, the current step in [...]). */
	char *steps[2];
	int nsteps;		/* rows: 0 (no wizard), 1 or 2 */
};

/* A screen's text as shown: translated if marked, placeholders filled. */
char *layout_text(const struct placeholder_src *, const struct sf_text *);
/* A field's label as shown, with the mark of a required field. */
char *layout_label(const struct placeholder_src *, const struct sf_item *);
/* True if the field carries the required mark. */
bool layout_marked(const struct session *, const struct sf_item *);
/* Lay sc out for width columns starting at column x0, on a terminal
 * cols columns wide (the steps use all of it). */
void layout_build(struct layout *, const struct sf_screen *sc,
    const struct placeholder_src *, int x0, int width, int cols);
/* First and last row of item, or -1. */
void layout_item_rows(const struct layout *, int item, int *first, int *last);
/* Free the rows. */
void layout_free(struct layout *);

#endif
