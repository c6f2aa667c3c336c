/* A screen's layout is kept while nothing it depends on changes, and
 * made again as soon as something does (layoutcache.c): typing into a
 * field lays nothing out; an error beside a field, the language, the
 * width, what the service told, a screen entered again, or values wiped
 * do. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layoutcache.h"
#include "lang.h"
#include "screenfile.h"
#include "xmalloc.h"

struct fixture {
	char dir[64];
	struct sf_set set;
	struct session sess;
	struct store store;
	struct placeholder_src ph;
	struct layout_cache lc;
	const struct sf_screen *home;
};

/* One screen file in the fixture's directory. */
static void
write_screen(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.screen", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	char *error = NULL;

	snprintf(fx->dir, sizeof fx->dir, "/tmp/test_layoutcache.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	write_screen(fx->dir, "home",
	    "screen home\n"
	    "title \"Home\"\n"
	    "text \"Welcome to {service_name}: a paragraph long enough to "
	    "be wrapped on a narrow screen.\"\n"
	    "field user_id kind=text label=\"User ID\" required\n"
	    "field code kind=text label=\"Code\" max=6\n"
	    "button go label=\"Go\" goto=home\n");
	assert_int_equal(screenfile_load_dir(fx->dir, &fx->set, &error), 0);
	session_init(&fx->sess);
	fx->sess.lang = lang_code("en");
	fx->ph.sess = &fx->sess;
	fx->ph.set = &fx->set;
	fx->ph.store = &fx->store;
	fx->home = screenfile_find(&fx->set, "home");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char path[128];

	layout_cache_free(&fx->lc);
	store_clear(&fx->store);
	session_free(&fx->sess);
	screenfile_free(&fx->set);
	snprintf(path, sizeof path, "%s/home.screen", fx->dir);
	unlink(path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* The layout of home at width, serial 1. */
static const struct layout *
get(struct fixture *fx, int width)
{
	return layout_cache_get(&fx->lc, fx->home, &fx->ph, 4, width, 80, 1);
}

/* The index of item name on home. */
static int
item(struct fixture *fx, const char *name)
{
	return screenfile_item(fx->home, name);
}

static void
test_kept_while_typing(void **state)
{
	struct fixture *fx = *state;
	const struct layout *lo = get(fx, 74);
	struct fieldval *fv;

	assert_int_equal(fx->lc.builds, 1);
	assert_true(lo->n > 0);
	fv = layout_cache_value(&fx->lc, item(fx, "user_id"));
	assert_ptr_equal(fv, store_get(&fx->store, "home", "user_id"));
	/* What a key changes: the value, its cursor. */
	for (const char *p = "taro@example.jp"; *p != '\0'; p++)
		editbuf_insert(&fv->eb, (wchar_t)*p);
	editbuf_left(&fv->eb);
	assert_ptr_equal(get(fx, 74), lo);
	assert_int_equal(fx->lc.builds, 1);
	/* Text and buttons have no value. */
	assert_null(layout_cache_value(&fx->lc, item(fx, "go")));
	assert_null(layout_cache_value(&fx->lc, -1));
}

static void
test_made_again(void **state)
{
	struct fixture *fx = *state;
	struct fieldval *fv;
	unsigned long builds;
	cJSON *info;

	get(fx, 74);
	builds = fx->lc.builds;
	fv = layout_cache_value(&fx->lc, item(fx, "code"));

	/* An error beside a field adds rows; taking it away removes them. */
	fv->err = ERR_TOO_LONG;
	fv->params.max = 6;
	get(fx, 74);
	assert_int_equal(fx->lc.builds, ++builds);
	fv->params.max = 7;
	get(fx, 74);
	assert_int_equal(fx->lc.builds, ++builds);
	fv->err = ERR_NONE;
	get(fx, 74);
	assert_int_equal(fx->lc.builds, ++builds);

	/* The width. */
	get(fx, 40);
	assert_int_equal(fx->lc.builds, ++builds);
	get(fx, 40);
	assert_int_equal(fx->lc.builds, builds);

	/* The language. */
	fx->sess.lang = lang_code("ja");
	get(fx, 40);
	assert_int_equal(fx->lc.builds, ++builds);

	/* What the service told ({service_name}). */
	info = cJSON_Parse("{\"service_name\":\"Town hall\","
	    "\"password_policy\":{}}");
	assert_true(session_set_info(&fx->sess, info));
	cJSON_Delete(info);
	get(fx, 40);
	assert_int_equal(fx->lc.builds, ++builds);

	/* An answer kept. */
	session_keep_as(&fx->sess, "page", NULL);
	get(fx, 40);
	assert_int_equal(fx->lc.builds, ++builds);

	/* The screen entered again ({form.*} of other screens). */
	layout_cache_get(&fx->lc, fx->home, &fx->ph, 4, 40, 80, 2);
	assert_int_equal(fx->lc.builds, ++builds);

	/* Forgotten on request. */
	layout_cache_drop(&fx->lc);
	layout_cache_get(&fx->lc, fx->home, &fx->ph, 4, 40, 80, 2);
	assert_int_equal(fx->lc.builds, ++builds);
}

/* Values wiped (a log-out): the cache must not hand out a freed one. */
static void
test_values_wiped(void **state)
{
	struct fixture *fx = *state;
	struct fieldval *fv;
	unsigned long builds;

	get(fx, 74);
	builds = fx->lc.builds;
	store_clear(&fx->store);
	get(fx, 74);
	assert_int_equal(fx->lc.builds, builds + 1);
	fv = layout_cache_value(&fx->lc, item(fx, "user_id"));
	assert_ptr_equal(fv, store_get(&fx->store, "home", "user_id"));
	assert_int_equal(fv->eb.len, 0);
	store_clear_screen(&fx->store, "home");
	get(fx, 74);
	fv = layout_cache_value(&fx->lc, item(fx, "code"));
	assert_ptr_equal(fv, store_get(&fx->store, "home", "code"));
}

/* The layout itself: the wrapped paragraph, its placeholder filled. */
static void
test_layout_rows(void **state)
{
	struct fixture *fx = *state;
	const struct layout *lo = get(fx, 20);
	bool service = false;

	assert_true(lo->stacked);
	for (size_t r = 0; r < lo->n; r++) {
		if (lo->row[r].kind == LR_TEXT &&
		    wcsstr(lo->row[r].text, L"service") != NULL)
			service = true;
		if (lo->row[r].text != NULL)
			assert_true(wcslen(lo->row[r].text) <= 20);
	}
	assert_true(service);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kept_while_typing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_made_again, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_values_wiped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_layout_rows, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("layoutcache", tests, NULL, NULL);
}
