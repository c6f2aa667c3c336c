/* A screen's layout kept from one frame to the next.  Laying a screen
 * out wraps every paragraph and measures every label in the current
 * language: far more work than a key that changes one field's text.  It
 * is done again only when something it depends on has changed: the
 * screen, the language, the size, what the service told or answered,
 * an error beside a field, or the screen being entered again. */
#ifndef MADOGUCHI_LAYOUTCACHE_H
#define MADOGUCHI_LAYOUTCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "placeholder.h"
#include "store.h"

/* Everything a layout depends on. */
struct layout_key {
	const struct sf_screen *sc;
	const char *lang;	/* session's language (a canonical pointer) */
	unsigned long epoch;	/* session's epoch: rules, answers, names */
	unsigned long serial;	/* screens entered so far: {form.*} of other
				   screens may have changed in between */
	unsigned long store_gen;	/* values made or freed */
	uint64_t errors;	/* the errors shown beside the fields */
	int x0, width, cols;
	bool kiosk;
};

struct layout_cache {
	struct layout lo;
	struct layout_key key;
	bool valid;
	unsigned long builds;	/* layouts made so far */
	/* Each item's value in the store (NULL for text and buttons),
	 * looked up once rather than at every frame. */
	const struct sf_screen *vsc;
	unsigned long vgen;
	struct fieldval **fv;
	size_t nfv;
};

/* The layout of sc for these sizes, made again only if needed.  serial
 * counts the screens the engine has entered. */
const struct layout *layout_cache_get(struct layout_cache *,
    const struct sf_screen *sc, const struct placeholder_src *, int x0,
    int width, int cols, unsigned long serial);
/* The value of item i of the screen last asked for, or NULL. */
struct fieldval *layout_cache_value(const struct layout_cache *, int i);
/* Forget everything: the next layout_cache_get lays out again. */
void layout_cache_drop(struct layout_cache *);
/* Free everything. */
void layout_cache_free(struct layout_cache *);

#endif
