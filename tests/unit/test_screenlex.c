/* The screen-file tokenizer: words, key=value, plain and translatable
 * texts, and C_("context", "text") for one English word with two
 * translations. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "screenlex.h"

static void
test_words_and_texts(void **state)
{
	struct lex_line ll;
	char *problem;

	(void)state;
	assert_int_equal(screenlex_line("field code kind=text "
	    "label=_(\"Code\") value=\"{vars.x}\"", &ll, &problem), 0);
	assert_int_equal(ll.n, 5);
	assert_int_equal(ll.tok[0].kind, LEX_WORD);
	assert_string_equal(ll.tok[2].value, "text");
	assert_int_equal(ll.tok[3].kind, LEX_KEYVAL);
	assert_int_equal(ll.tok[3].vkind, LEXV_TRANSLATE);
	assert_string_equal(ll.tok[3].value, "Code");
	assert_int_equal(ll.tok[4].vkind, LEXV_PLAIN);
	screenlex_free(&ll);
}

static void
test_context(void **state)
{
	struct lex_line ll;
	char *problem;

	(void)state;
	assert_int_equal(screenlex_line("steps 4 C_(\"wizard step\", "
	    "\"Confirm\") _(\"Done\") label=C_( \"button\" ,\"Send\" )",
	    &ll, &problem), 0);
	assert_int_equal(ll.n, 5);
	/* The key pgettext looks up: context, EOT, text. */
	assert_int_equal(ll.tok[2].kind, LEX_TEXT);
	assert_int_equal(ll.tok[2].vkind, LEXV_TRANSLATE);
	assert_string_equal(ll.tok[2].value, "wizard step\004Confirm");
	assert_string_equal(ll.tok[3].value, "Done");
	assert_int_equal(ll.tok[4].kind, LEX_KEYVAL);
	assert_string_equal(ll.tok[4].value, "button\004Send");
	screenlex_free(&ll);
}

/* Words are cut and strings unescaped in place, in the line's one
 * block: escapes shorten a string, a context grows by its separator, and
 * a line of one-character words holds as many tokens as it can. */
static void
test_in_place(void **state)
{
	struct lex_line ll;
	char *problem;

	(void)state;
	assert_int_equal(screenlex_line("text \"a\\\"b\\\\c\\nd\"\t"
	    "x=C_(\"t\\ty\",\"z\") k=v\n", &ll, &problem), 0);
	assert_int_equal(ll.n, 4);
	assert_string_equal(ll.tok[0].word, "text");
	assert_string_equal(ll.tok[1].value, "a\"b\\c\nd");
	assert_string_equal(ll.tok[2].word, "x");
	assert_string_equal(ll.tok[2].value, "t\ty\004z");
	assert_string_equal(ll.tok[3].word, "k");
	assert_string_equal(ll.tok[3].value, "v");
	screenlex_free(&ll);
	assert_int_equal(screenlex_line("a b c d e f g", &ll, &problem), 0);
	assert_int_equal(ll.n, 7);
	assert_string_equal(ll.tok[0].word, "a");
	assert_string_equal(ll.tok[6].word, "g");
	screenlex_free(&ll);
	assert_int_equal(screenlex_line("a", &ll, &problem), 0);
	assert_int_equal(ll.n, 1);
	assert_string_equal(ll.tok[0].word, "a");
	screenlex_free(&ll);
	assert_int_equal(screenlex_line("  \n", &ll, &problem), 0);
	assert_int_equal(ll.n, 0);
	screenlex_free(&ll);
}

static void
test_context_errors(void **state)
{
	static const char *bad[] = {
		"steps 1 C_(\"only\")",
		"steps 1 C_(\"ctx\" \"text\")",
		"steps 1 C_(\"ctx\", text)",
		"steps 1 C_(\"ctx\", \"text\"",
		"steps 1 C_(ctx, \"text\")",
		"title _(\"unterminated)",
	};
	struct lex_line ll;
	char *problem;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(screenlex_line(bad[i], &ll, &problem), -1);
		assert_non_null(problem);
		free(problem);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_texts),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_context_errors),
	};

	return cmocka_run_group_tests_name("screenlex", tests, NULL, NULL);
}
