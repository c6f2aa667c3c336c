/* Field values for the whole run, keyed by screen and field, so that
 * leaving a screen (for the Language screen, say) and coming back keeps
 * what was typed (003 §1.6, SPEC P2 and P5). */
#ifndef MADOGUCHI_STORE_H
#define MADOGUCHI_STORE_H

#include <stdbool.h>

#include "editbuf.h"
#include "errmsg.h"

struct fieldval {
	char *screen;
	char *field;
	struct editbuf eb;	/* text and password fields */
	bool on;		/* toggles */
	enum errcode err;	/* ERR_NONE: no error shown */
	struct errparams params;
	/* Tables: the page shown, its size, the selected row. */
	int page;
	int per_page;
	int row;
};

struct store {
	struct fieldval **v;
	size_t n;
	/* Counts values made and freed: a pointer from store_get stays
	 * valid while it has not changed. */
	unsigned long gen;
};

/* The value of screen/field, made empty on first use. */
struct fieldval *store_get(struct store *, const char *screen,
    const char *field);
/* Wipe every value of one screen. */
void store_clear_screen(struct store *, const char *screen);
/* Wipe everything (log-out: nothing typed survives for the next person). */
void store_clear(struct store *);

#endif
