/* Display-column measuring and wrapping with Japanese, Korean and
 * Vietnamese rows, under a forced C.UTF-8 (neomutt test/mbyte habit). */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

struct width_case {
	const char *s;
	int cols;
};

static const struct width_case width_cases[] = {
	{ "", 0 },
	{ "User ID", 7 },
	{ "利用者ID", 8 },		/* three wide, two narrow */
	{ "パスワード", 10 },
	{ "한국어", 6 },
	{ "Tiếng Việt", 10 },		/* precomposed */
	{ "Tie\xcc\x82\xcc\x81ng", 5 },	/* e + two combining marks */
	{ "日本語 English", 14 },
};

/* Each row takes the number of columns a terminal gives it. */
static void
test_width_table(void **state)
{
	for (size_t i = 0; i < sizeof width_cases / sizeof width_cases[0]; i++) {
		int w = text_width(width_cases[i].s);

		if (w != width_cases[i].cols)
			fail_msg("\"%s\": %d columns, want %d", width_cases[i].s,
			    w, width_cases[i].cols);
	}
}

/* A fit never ends halfway through a double-width character. */
static void
test_fit_never_splits(void **state)
{
	wchar_t *ws = text_widen("利用者ID");

	assert_int_equal(text_fit(ws, 5), 2);	/* 利用 = 4 columns; 者 would make 6 */
	assert_int_equal(text_fit(ws, 6), 3);
	assert_int_equal(text_fit(ws, 8), 5);
	free(ws);
}

/* Japanese wraps between characters, English at blanks; no line is wider
 * than asked. */
static void
test_wrap(void **state)
{
	struct text_lines tl;

	text_wrap("利用者情報登録で払い出されたID、登録したパスワードを入力してください。",
	    20, &tl);
	assert_true(tl.n >= 4);
	for (size_t i = 0; i < tl.n; i++)
		assert_true(text_width_wcs(tl.line[i], -1) <= 20);
	text_lines_free(&tl);

	text_wrap("Enter the user ID issued at registration", 16, &tl);
	assert_true(tl.n >= 3);
	for (size_t i = 0; i < tl.n; i++) {
		assert_true(text_width_wcs(tl.line[i], -1) <= 16);
		/* Words are kept whole: no line starts or ends inside one. */
		assert_true(wcsncmp(tl.line[i], L"ID", 2) != 0 ||
		    wcslen(tl.line[i]) == 2 || tl.line[i][2] == L' ');
	}
	assert_true(wcscmp(tl.line[0], L"Enter the user") == 0);
	text_lines_free(&tl);
}

/* Japanese line breaking (kinsoku): at every width, no line starts with
 * a closing bracket, a mark of punctuation or a small kana, none ends
 * with an opening bracket, and nothing is lost or added.  (Below ten
 * columns a run like "（ショー" has no legal break and is cut.) */
static void
test_wrap_kinsoku(void **state)
{
	static const char *sentence =
	    "入力内容を確認し、［登録する］を選んでください。"
	    "修正する場合は［入力に戻る］を選んでください。"
	    "（ショート・メッセージ）はっきりとチェックしてください。";
	wchar_t *all = text_widen(sentence);

	(void)state;
	for (int cols = 10; cols <= 60; cols++) {
		struct text_lines tl;
		size_t at = 0;

		text_wrap(sentence, cols, &tl);
		for (size_t i = 0; i < tl.n; i++) {
			const wchar_t *l = tl.line[i];
			size_t n = wcslen(l);

			assert_true(text_width_wcs(l, -1) <= cols);
			assert_true(n > 0);
			if (i > 0)
				assert_null(wcschr(L"、。］）ぁっャー", l[0]));
			if (i + 1 < tl.n)
				assert_null(wcschr(L"［（", l[n - 1]));
			assert_memory_equal(l, all + at, n * sizeof *l);
			at += n;
		}
		assert_int_equal(at, wcslen(all));
		text_lines_free(&tl);
	}
	free(all);
}

/* Latin words stay whole beside Japanese; a break beside a wide
 * character needs no blank. */
static void
test_wrap_mixed(void **state)
{
	struct text_lines tl;

	(void)state;
	text_wrap("利用者IDは yamada@example.jp です。", 16, &tl);
	assert_int_equal(tl.n, 3);
	assert_true(wcscmp(tl.line[0], L"利用者IDは") == 0);
	assert_true(wcscmp(tl.line[1], L"yamada@example.jp") != 0 ||
	    text_width_wcs(tl.line[1], -1) <= 16);
	text_lines_free(&tl);
}

/* Text from the service may hold control characters (an ESC in a
 * notice).  Each is drawn as ^X and counted as the two columns that
 * takes; C1 controls and what a terminal cannot show are drawn as
 * U+FFFD, one column. */
static const struct width_case control_cases[] = {
	{ "\x1b", 2 },
	{ "Hostile\x1b[2J", 12 },
	{ "\x7f", 2 },
	{ "\t\r\n\b\a", 10 },
	{ "\xc2\x9b" "1m", 3 },		/* U+009B, the C1 CSI */
	{ "日本\x1b", 6 },
};

static void
test_width_controls(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof control_cases / sizeof control_cases[0];
	    i++) {
		int w = text_width(control_cases[i].s);

		if (w != control_cases[i].cols)
			fail_msg("case %zu: %d columns, want %d", i, w,
			    control_cases[i].cols);
	}
}

/* What is drawn: controls in caret notation, nothing a terminal would
 * act on. */
static void
test_visible_forms(void **state)
{
	wchar_t *ws = text_widen("a\x1b[1m\a\x7f\xc2\x9b\t\n\xef\xbf\xbf日");
	wchar_t *vis = text_visible(ws, -1);
	wchar_t *cut = text_visible(ws, 2);

	(void)state;
	assert_true(wcscmp(vis, L"a^[[1m^G^?\xfffd^I^J\xfffd日") == 0);
	assert_true(wcscmp(cut, L"a^[") == 0);
	free(cut);
	free(vis);
	free(ws);
}

/* For every character, what is drawn is printable and takes exactly the
 * columns counted for it: measuring and drawing cannot disagree. */
static void
test_visible_matches_width(void **state)
{
	(void)state;
	for (wchar_t c = 1; c <= 0x10ffff; c++) {
		wchar_t one[2] = { c, L'\0' }, *vis = text_visible(one, -1);

		for (const wchar_t *p = vis; *p != L'\0'; p++) {
			if (wcwidth(*p) < 0 || *p < 0x20 ||
			    (*p >= 0x7f && *p < 0xa0))
				fail_msg("U+%04lX draws U+%04lX, which a terminal "
				    "cannot show", (unsigned long)c,
				    (unsigned long)*p);
		}
		if (wcswidth(vis, wcslen(vis)) != text_char_width(c))
			fail_msg("U+%04lX: drawn %d columns wide, counted %d",
			    (unsigned long)c, wcswidth(vis, wcslen(vis)),
			    text_char_width(c));
		free(vis);
	}
}

/* Fitting and wrapping count a control as two columns: a line of them
 * is never drawn wider than asked. */
static void
test_fit_and_wrap_controls(void **state)
{
	wchar_t *ws = text_widen("ab\x1b" "cd");
	struct text_lines tl;

	(void)state;
	assert_int_equal(text_fit(ws, 3), 2);
	assert_int_equal(text_fit(ws, 4), 3);
	free(ws);
	text_wrap("\x1b[31m\x1b[5m\x07\x1b[2J notice \x1b\x1b\x1b\x1b\x1b\x1b", 10,
	    &tl);
	assert_true(tl.n >= 4);
	for (size_t i = 0; i < tl.n; i++) {
		wchar_t *vis = text_visible(tl.line[i], -1);

		assert_true(text_width_wcs(tl.line[i], -1) <= 10);
		assert_int_equal(wcswidth(vis, wcslen(vis)),
		    text_width_wcs(tl.line[i], -1));
		free(vis);
	}
	text_lines_free(&tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_table),
		cmocka_unit_test(test_fit_never_splits),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_wrap_kinsoku),
		cmocka_unit_test(test_wrap_mixed),
		cmocka_unit_test(test_width_controls),
		cmocka_unit_test(test_visible_forms),
		cmocka_unit_test(test_visible_matches_width),
		cmocka_unit_test(test_fit_and_wrap_controls),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return 99;
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
