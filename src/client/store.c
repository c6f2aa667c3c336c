/* The per-run store of field values. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "xmalloc.h"

/* The value of screen/field, created empty. */
struct fieldval *
store_get(struct store *st, const char *screen, const char *field)
{
	struct fieldval *fv;

	for (size_t i = 0; i < st->n; i++) {
		fv = st->v[i];
		if (strcmp(fv->screen, screen) == 0 &&
		    strcmp(fv->field, field) == 0)
			return fv;
	}
	fv = xcalloc(1, sizeof *fv);
	fv->screen = xstrdup(screen);
	fv->field = xstrdup(field);
	st->v = xreallocarray(st->v, st->n + 1, sizeof *st->v);
	st->v[st->n++] = fv;
	st->gen++;
	return fv;
}

/* Wipe one value and free it. */
static void
store_free_one(struct fieldval *fv)
{
	editbuf_free(&fv->eb);
	free(fv->screen);
	free(fv->field);
	free(fv);
}

/* Wipe every value of one screen. */
void
store_clear_screen(struct store *st, const char *screen)
{
	size_t j = 0;

	for (size_t i = 0; i < st->n; i++) {
		if (strcmp(st->v[i]->screen, screen) == 0)
			store_free_one(st->v[i]);
		else
			st->v[j++] = st->v[i];
	}
	if (j != st->n)
		st->gen++;
	st->n = j;
}

/* Wipe everything. */
void
store_clear(struct store *st)
{
	for (size_t i = 0; i < st->n; i++)
		store_free_one(st->v[i]);
	free(st->v);
	st->v = NULL;
	st->n = 0;
	st->gen++;
}
