/* Keeping a screen's layout while nothing it depends on changes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "layoutcache.h"
#include "xmalloc.h"

/* Look up the store values of sc's items again when the screen or the
 * store's set of values changed (a value may have been freed). */
static void
layout_cache_values(struct layout_cache *c, const struct sf_screen *sc,
    struct store *st)
{
	if (c->vsc == sc && c->vgen == st->gen && c->nfv == sc->nitems)
		return;
	free(c->fv);
	c->nfv = sc->nitems;
	c->fv = xcalloc(c->nfv > 0 ? c->nfv : 1, sizeof *c->fv);
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];

		if (it->kind == SF_FIELD || it->kind == SF_TABLE)
			c->fv[i] = store_get(st, sc->id, it->name);
	}
	/* After the lookups, which may have made values. */
	c->vsc = sc;
	c->vgen = st->gen;
}

/* The errors beside sc's fields, as one number. */
static uint64_t
layout_cache_errors(const struct layout_cache *c, const struct sf_screen *sc)
{
	uint64_t h = HASH_INIT;

	for (size_t i = 0; i < sc->nitems; i++) {
		const struct fieldval *fv = c->fv[i];

		if (sc->item[i].kind != SF_FIELD || fv == NULL)
			continue;
		h = hash_bytes(h, &i, sizeof i);
		h = hash_bytes(h, &fv->err, sizeof fv->err);
		if (fv->err != ERR_NONE)
			h = hash_bytes(h, &fv->params,
			    sizeof fv->params);
	}
	return h;
}

/* True if two keys describe the same layout. */
static bool
layout_cache_same(const struct layout_key *a, const struct layout_key *b)
{
	return a->sc == b->sc && a->lang == b->lang && a->epoch == b->epoch &&
	    a->serial == b->serial && a->store_gen == b->store_gen &&
	    a->errors == b->errors && a->x0 == b->x0 &&
	    a->width == b->width && a->cols == b->cols &&
	    a->kiosk == b->kiosk;
}

const struct layout *
layout_cache_get(struct layout_cache *c, const struct sf_screen *sc,
    const struct placeholder_src *ph, int x0, int width, int cols,
    unsigned long serial)
{
	struct layout_key k;

	layout_cache_values(c, sc, ph->store);
	memset(&k, 0, sizeof k);
	k.sc = sc;
	k.lang = ph->sess->lang;
	k.epoch = ph->sess->epoch;
	k.serial = serial;
	k.store_gen = c->vgen;
	k.errors = layout_cache_errors(c, sc);
	k.x0 = x0;
	k.width = width;
	k.cols = cols;
	k.kiosk = ph->sess->kiosk;
	if (c->valid && layout_cache_same(&c->key, &k))
		return &c->lo;
	if (c->valid)
		layout_free(&c->lo);
	layout_build(&c->lo, sc, ph, x0, width, cols);
	/* Building reads values only through store_get, which may have
	 * made some: look them up again rather than keep a stale key. */
	layout_cache_values(c, sc, ph->store);
	k.store_gen = c->vgen;
	c->key = k;
	c->valid = true;
	c->builds++;
	return &c->lo;
}

struct fieldval *
layout_cache_value(const struct layout_cache *c, int i)
{
	return i >= 0 && (size_t)i < c->nfv ? c->fv[i] : NULL;
}

void
layout_cache_drop(struct layout_cache *c)
{
	c->valid = false;
	layout_free(&c->lo);
	free(c->fv);
	c->fv = NULL;
	c->nfv = 0;
	c->vsc = NULL;
}

void
layout_cache_free(struct layout_cache *c)
{
	layout_cache_drop(c);
}
