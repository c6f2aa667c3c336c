/* The input fields' edit buffer with multibyte text: the cursor moves and
 * deletes by whole characters as a person sees them, whether a character
 * is double-width (Japanese, Hangul) or a base with combining marks
 * (Vietnamese typed as separate keys). */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "editbuf.h"
#include "text.h"

/* The value as UTF-8, compared and freed. */
static void
assert_value(const struct editbuf *eb, const char *want)
{
	char *v = editbuf_utf8(eb);

	assert_string_equal(v, want);
	free(v);
}

static void
test_wide(void **state)
{
	struct editbuf eb = { 0 };

	(void)state;
	editbuf_set_utf8(&eb, "利用者ID");
	assert_int_equal(eb.len, 5);
	editbuf_left(&eb);
	editbuf_left(&eb);
	editbuf_left(&eb);
	/* Between 用 and 者: backspace takes the whole of 用. */
	assert_true(editbuf_backspace(&eb));
	assert_value(&eb, "利者ID");
	assert_int_equal(eb.cur, 1);
	editbuf_insert(&eb, L'한');
	assert_value(&eb, "利한者ID");
	assert_true(editbuf_delete(&eb));
	assert_value(&eb, "利한ID");
	editbuf_free(&eb);
}

static void
test_combining(void **state)
{
	struct editbuf eb = { 0 };

	(void)state;
	/* "Tiếng" with ế as e + U+0302 + U+0301, typed key by key. */
	assert_true(editbuf_insert(&eb, L'T'));
	assert_true(editbuf_insert(&eb, L'i'));
	assert_true(editbuf_insert(&eb, L'e'));
	assert_true(editbuf_insert(&eb, 0x0302));
	assert_true(editbuf_insert(&eb, 0x0301));
	assert_true(editbuf_insert(&eb, L'n'));
	assert_true(editbuf_insert(&eb, L'g'));
	assert_value(&eb, "Tie\xcc\x82\xcc\x81ng");
	assert_int_equal(text_width_wcs(eb.s, -1), 5);

	/* Left from the end lands after ế, then before it: never between
	 * the e and its marks. */
	editbuf_left(&eb);
	editbuf_left(&eb);
	assert_int_equal(eb.cur, 5);
	editbuf_left(&eb);
	assert_int_equal(eb.cur, 2);
	editbuf_right(&eb);
	assert_int_equal(eb.cur, 5);

	/* Backspace takes the e and both marks at once. */
	assert_true(editbuf_backspace(&eb));
	assert_value(&eb, "Ting");
	assert_int_equal(eb.cur, 2);

	/* Delete under the cursor takes a base with its mark. */
	editbuf_set_utf8(&eb, "a\xcc\x80" "b");
	editbuf_home(&eb);
	assert_true(editbuf_delete(&eb));
	assert_value(&eb, "b");
	editbuf_free(&eb);
}

static void
test_refused(void **state)
{
	struct editbuf eb = { 0 };

	(void)state;
	/* A mark with nothing to combine with, and control characters. */
	assert_false(editbuf_insert(&eb, 0x0301));
	assert_false(editbuf_insert(&eb, L'\n'));
	assert_false(editbuf_insert(&eb, 0x1b));
	assert_false(editbuf_insert(&eb, 0x85));
	assert_int_equal(eb.len, 0);

	/* A paste keeps the marks of its characters. */
	eb.limit = 0;
	assert_true(editbuf_insert_utf8(&eb, "Vie\xcc\xa3t"));
	assert_value(&eb, "Vie\xcc\xa3t");
	editbuf_free(&eb);
}

static void
test_fit_scrolls_by_character(void **state)
{
	struct editbuf eb = { 0 };

	(void)state;
	/* Ten wide characters in a six-column box: the cursor at the end
	 * must show, so the view starts at a whole character. */
	editbuf_set_utf8(&eb, "あいうえおかきくけこ");
	editbuf_fit(&eb, 6, false);
	assert_int_equal(text_width_wcs(eb.s + eb.scroll,
	    (long)(eb.cur - eb.scroll)) + 1 <= 6, 1);
	assert_int_equal(eb.scroll, 8);

	/* With marks the view never starts on a mark. */
	editbuf_set_utf8(&eb, "e\xcc\x82\xcc\x81" "e\xcc\x82\xcc\x81"
	    "e\xcc\x82\xcc\x81" "e\xcc\x82\xcc\x81");
	editbuf_fit(&eb, 3, false);
	assert_int_equal(eb.scroll % 3, 0);
	assert_int_equal(eb.scroll, 6);
	editbuf_free(&eb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_combining),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_fit_scrolls_by_character),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 99;
	return cmocka_run_group_tests_name("editbuf", tests, NULL, NULL);
}
