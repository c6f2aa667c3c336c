/* What a screen shows from the service: its `load` call, its tables'
 * pages, and the service's own description (GET /api/v1/info).  A
 * session found gone ends at home. */
#ifndef MADOGUCHI_LOAD_H
#define MADOGUCHI_LOAD_H

#include "engine.h"

/* sc's load= call, then each of its tables' pages. */
void load_screen(struct engine *, const struct sf_screen *sc);
/* The page of table it that the person is on (003 §5: page and page
 * size chosen by the person). */
void load_table(struct engine *, const struct sf_screen *sc,
    const struct sf_item *it);
/* Ask the service who it is; a failure is shown but is not fatal, and
 * logging in still tries. */
void load_info(struct engine *);

#endif
