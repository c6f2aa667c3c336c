/* Shared field rules: e-mail (001 FAQ), passwords per profile (001, 003 §3),
 * user IDs, names and UTF-8, table-driven. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

struct email_case {
	const char *addr;
	enum errcode want;
};

static const struct email_case email_cases[] = {
	{ "taro@example.jp", ERR_NONE },
	{ "t.a+r_o-9@mail.city.kawasaki.jp", ERR_NONE },
	{ "a!#$%&'*+-/=?^_`{|}~z@example.jp", ERR_NONE },
	{ "", ERR_REQUIRED },
	{ "taro.example.jp", ERR_BAD_EMAIL },
	{ "@example.jp", ERR_BAD_EMAIL },
	{ "taro@", ERR_BAD_EMAIL },
	{ "ta..ro@example.jp", ERR_BAD_EMAIL },		/* FAQ 2 */
	{ ".taro@example.jp", ERR_BAD_EMAIL },		/* FAQ 3 */
	{ "taro.@example.jp", ERR_BAD_EMAIL },		/* FAQ 3 */
	{ "_taro@example.jp", ERR_BAD_EMAIL },		/* FAQ 3 */
	{ "ta(ro@example.jp", ERR_BAD_EMAIL },		/* FAQ 1 */
	{ "ta ro@example.jp", ERR_BAD_EMAIL },		/* FAQ 1 */
	{ "たろう@example.jp", ERR_BAD_EMAIL },		/* FAQ 1 */
	{ "taro@localhost", ERR_BAD_EMAIL },
	{ "taro@-example.jp", ERR_BAD_EMAIL },
	{ "taro@example..jp", ERR_BAD_EMAIL },
};

/* Every row of the e-mail table gives its expected verdict. */
static void
test_email_table(void **state)
{
	for (size_t i = 0; i < sizeof email_cases / sizeof email_cases[0]; i++) {
		struct verdict v = validate_email(email_cases[i].addr);

		if (v.code != email_cases[i].want)
			fail_msg("%s: got %s, want %s", email_cases[i].addr,
			    errcode_name(v.code), errcode_name(email_cases[i].want));
	}
}

/* 001 FAQ 4: 256 characters or more is refused, 255 is accepted. */
static void
test_email_length(void **state)
{
	char addr[300];

	memset(addr, 'a', sizeof addr);
	strcpy(addr + 255 - strlen("@example.jp"), "@example.jp");
	assert_int_equal(strlen(addr), 255);
	assert_int_equal(validate_email(addr).code, ERR_NONE);
	memset(addr, 'a', sizeof addr);
	strcpy(addr + 256 - strlen("@example.jp"), "@example.jp");
	assert_int_equal(validate_email(addr).code, ERR_TOO_LONG);
}

static const struct password_policy lgpos = { 8, 64, 2, "" };
static const struct password_policy immigration = { 10, 20, 4, "$%&=@_#*+-?!" };

struct password_case {
	const struct password_policy *pol;
	const char *pw;
	enum errcode want;
	long min;
};

static const struct password_case password_cases[] = {
	{ &lgpos, "abcdefg1", ERR_NONE, 0 },
	{ &lgpos, "ABCDEFGh", ERR_NONE, 0 },
	{ &lgpos, "abcdefgh", ERR_TOO_FEW_CLASSES, 2 },
	{ &lgpos, "12345678", ERR_TOO_FEW_CLASSES, 2 },
	{ &lgpos, "abc1234", ERR_TOO_SHORT, 8 },
	{ &lgpos, "", ERR_REQUIRED, 0 },
	{ &lgpos, "パスワード1234abc", ERR_BAD_CHARACTERS, 0 },
	{ &lgpos, "abc defg1", ERR_BAD_CHARACTERS, 0 },
	{ &lgpos, "abcdefg(", ERR_NONE, 0 },
	{ &immigration, "Abcdefgh1$", ERR_NONE, 0 },
	{ &immigration, "Abcdefgh1(", ERR_BAD_CHARACTERS, 0 },
	{ &immigration, "Abcdefgh12", ERR_TOO_FEW_CLASSES, 4 },
	{ &immigration, "Abcd1$", ERR_TOO_SHORT, 10 },
	{ &immigration, "Abcdefgh1$Abcdefgh1$X", ERR_TOO_LONG, 10 },
};

/* Every row of the password table gives its expected verdict and limit. */
static void
test_password_table(void **state)
{
	for (size_t i = 0; i < sizeof password_cases / sizeof password_cases[0]; i++) {
		const struct password_case *c = &password_cases[i];
		struct verdict v = validate_password(c->pol, c->pw);

		if (v.code != c->want)
			fail_msg("row %zu (%s): got %s, want %s", i, c->pw,
			    errcode_name(v.code), errcode_name(c->want));
		if (c->min != 0 && v.min != c->min)
			fail_msg("row %zu: min %ld, want %ld", i, v.min, c->min);
	}
}

/* Overlongs, surrogates, truncation and out-of-range values are refused. */
static void
test_utf8(void **state)
{
	assert_true(utf8_valid("山田太郎", strlen("山田太郎")));
	assert_true(utf8_valid("Tiếng Việt", strlen("Tiếng Việt")));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(utf8_valid("\xc0\xaf", 2));		/* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));		/* U+D800 */
	assert_false(utf8_valid("\xe3\x81", 2));		/* truncated */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid("\x80", 1));
	assert_int_equal(utf8_length("山田 太郎"), 5);
}

/* User IDs are printable ASCII, 1 to 256; names are UTF-8 within max. */
static void
test_user_id_and_name(void **state)
{
	char long_id[300];

	assert_int_equal(validate_user_id("KNCA6288").code, ERR_NONE);
	assert_int_equal(validate_user_id("").code, ERR_REQUIRED);
	assert_int_equal(validate_user_id("a b").code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_user_id("山田").code, ERR_BAD_CHARACTERS);
	memset(long_id, 'x', 257);
	long_id[257] = '\0';
	assert_int_equal(validate_user_id(long_id).code, ERR_TOO_LONG);
	assert_int_equal(validate_name("山田 太郎", 5).code, ERR_NONE);
	assert_int_equal(validate_name("山田 太郎", 4).code, ERR_TOO_LONG);
	assert_int_equal(validate_name("a\tb", 10).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_name("\xff", 10).code, ERR_INVALID_ENCODING);
}

/* Katakana, Latin capitals, phone, postal code, date and choice rules
 * (000 ⑤, 003 §3, §6.3). */
static void
test_person_fields(void **state)
{
	static const char *const genders[] = { "male", "female", "other", NULL };

	assert_int_equal(validate_katakana("ヤマダ タロウ", 40).code, ERR_NONE);
	assert_int_equal(validate_katakana("オオタカ　タロウ", 40).code, ERR_NONE);
	assert_int_equal(validate_katakana("ケイジギョウセイシヨシジムシヨー", 40).code, ERR_NONE);
	assert_int_equal(validate_katakana("やまだ", 40).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("山田", 40).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("ﾔﾏﾀﾞ", 40).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("ヤマダ", 2).code, ERR_TOO_LONG);
	assert_int_equal(validate_katakana("", 2).code, ERR_REQUIRED);

	assert_int_equal(validate_latin_name("NGUYEN VAN AN", 104).code, ERR_NONE);
	assert_int_equal(validate_latin_name("Nguyen", 104).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_latin_name("NGUYEN  AN", 104).code, ERR_BAD_FORMAT);
	assert_int_equal(validate_latin_name(" AN", 104).code, ERR_BAD_FORMAT);
	assert_int_equal(validate_latin_name("AN ", 104).code, ERR_BAD_FORMAT);
	assert_int_equal(validate_latin_name("NGUYỄN", 104).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_latin_name("ABCDE", 4).code, ERR_TOO_LONG);

	assert_int_equal(validate_phone("0601111111").code, ERR_NONE);
	assert_int_equal(validate_phone("09012345678").code, ERR_NONE);
	assert_int_equal(validate_phone("012-345-6789").code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_phone("012345678").code, ERR_TOO_SHORT);
	assert_int_equal(validate_phone("090123456789").code, ERR_TOO_LONG);

	assert_int_equal(validate_postal_code("5400008").code, ERR_NONE);
	assert_int_equal(validate_postal_code("540-0008").code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_postal_code("540000").code, ERR_TOO_SHORT);

	assert_int_equal(validate_date("1980-01-01", "2026-11-24").code, ERR_NONE);
	assert_int_equal(validate_date("2000-02-29", "2026-11-24").code, ERR_NONE);
	assert_int_equal(validate_date("1900-02-29", "2026-11-24").code, ERR_BAD_FORMAT);
	assert_int_equal(validate_date("2026-11-25", "2026-11-24").code, ERR_BAD_FORMAT);
	assert_int_equal(validate_date("1980-13-01", "2026-11-24").code, ERR_BAD_FORMAT);
	assert_int_equal(validate_date("1980/01/01", "2026-11-24").code, ERR_BAD_FORMAT);
	assert_int_equal(validate_date("1899-12-31", "2026-11-24").code, ERR_BAD_FORMAT);

	assert_int_equal(validate_choice("female", genders).code, ERR_NONE);
	assert_int_equal(validate_choice("unknown", genders).code, ERR_BAD_FORMAT);
	assert_int_equal(validate_choice("", genders).code, ERR_REQUIRED);
}

/* Issue 9: every person's-name and free-text field refuses what a
 * person cannot see, one row per class, in the middle of a real name so
 * that only the character decides. */
struct hidden_case {
	const char *what;
	const char *text;
	enum errcode want;
};

static const struct hidden_case hidden_cases[] = {
	{ "plain", "山田\u3000太郎", ERR_NONE },
	{ "accented Latin", "Nguyễn Văn An", ERR_NONE },
	{ "Hangul", "김민준", ERR_NONE },
	{ "ideographic variation sequence", "葛\U000E0100飾", ERR_NONE },
	{ "variation selector 16", "山\uFE0F田", ERR_NONE },
	{ "private use (gaiji)", "山\uE000田", ERR_NONE },
	{ "inner spaces", " 山田 太郎 ", ERR_NONE },
	/* Only spaces: as good as empty. */
	{ "only U+0020", "   ", ERR_REQUIRED },
	{ "only U+3000", "\u3000\u3000", ERR_REQUIRED },
	{ "only U+00A0", "\u00A0", ERR_REQUIRED },
	{ "only U+2003", "\u2003 \u3000", ERR_REQUIRED },
	/* C0 and DEL. */
	{ "C0 ESC", "山田\x1b" "[2J", ERR_BAD_CHARACTERS },
	{ "tab", "山田\t太郎", ERR_BAD_CHARACTERS },
	{ "line feed", "山田\n太郎", ERR_BAD_CHARACTERS },
	{ "DEL", "山田\x7f", ERR_BAD_CHARACTERS },
	/* C1. */
	{ "U+0080", "山田\xc2\x80", ERR_BAD_CHARACTERS },
	{ "U+0085 NEL", "山田\xc2\x85" "太郎", ERR_BAD_CHARACTERS },
	{ "U+009B CSI", "山田\xc2\x9b" "2J", ERR_BAD_CHARACTERS },
	{ "U+009F", "山田\xc2\x9f", ERR_BAD_CHARACTERS },
	/* Zero-width. */
	{ "U+200B ZWSP", "山田\u200B太郎", ERR_BAD_CHARACTERS },
	{ "only U+200B", "\u200B", ERR_BAD_CHARACTERS },
	{ "U+200C ZWNJ", "山田\u200C", ERR_BAD_CHARACTERS },
	{ "U+200D ZWJ", "山田\u200D", ERR_BAD_CHARACTERS },
	{ "U+2060 word joiner", "山田\u2060", ERR_BAD_CHARACTERS },
	{ "U+FEFF BOM", "\uFEFF山田", ERR_BAD_CHARACTERS },
	{ "U+00AD soft hyphen", "山\u00AD田", ERR_BAD_CHARACTERS },
	{ "U+3164 Hangul filler", "\u3164", ERR_BAD_CHARACTERS },
	/* Bidirectional controls. */
	{ "U+200E LRM", "山田\u200E", ERR_BAD_CHARACTERS },
	{ "U+200F RLM", "山田\u200F", ERR_BAD_CHARACTERS },
	{ "U+202A LRE", "山田\u202A", ERR_BAD_CHARACTERS },
	{ "U+202E RLO", "山田\u202Egpj.exe", ERR_BAD_CHARACTERS },
	{ "U+2066 LRI", "山田\u2066", ERR_BAD_CHARACTERS },
	{ "U+2069 PDI", "山田\u2069", ERR_BAD_CHARACTERS },
	{ "U+061C ALM", "山田\u061C", ERR_BAD_CHARACTERS },
	{ "U+2028 line separator", "山田\u2028太郎", ERR_BAD_CHARACTERS },
	/* Tags. */
	{ "U+E0001 language tag", "山田\U000E0001", ERR_BAD_CHARACTERS },
	{ "U+E0041 tag A", "山田\U000E0041\U000E007F", ERR_BAD_CHARACTERS },
	{ "U+E007F cancel tag", "山田\U000E007F", ERR_BAD_CHARACTERS },
	/* Noncharacters. */
	{ "U+FFFF", "山田\uFFFF", ERR_BAD_CHARACTERS },
	{ "U+FFFE", "山田\uFFFE", ERR_BAD_CHARACTERS },
	{ "U+FDD0", "山田\uFDD0", ERR_BAD_CHARACTERS },
	{ "U+FDEF", "山田\uFDEF", ERR_BAD_CHARACTERS },
	{ "U+1FFFF", "山田\U0001FFFF", ERR_BAD_CHARACTERS },
	{ "U+10FFFE", "山田\U0010FFFE", ERR_BAD_CHARACTERS },
	{ "interlinear annotation", "山田\uFFF9", ERR_BAD_CHARACTERS },
};

/* Every row of the hidden-character table, as a name and as the one
 * code point the classifier is asked about. */
static void
test_name_hidden_characters(void **state)
{
	for (size_t i = 0; i < sizeof hidden_cases / sizeof hidden_cases[0];
	    i++) {
		const struct hidden_case *c = &hidden_cases[i];
		struct verdict v = validate_name(c->text, 64);

		if (v.code != c->want)
			fail_msg("%s: got %s, want %s", c->what,
			    errcode_name(v.code), errcode_name(c->want));
	}
	assert_true(validate_char_hidden(0x1b));
	assert_true(validate_char_hidden(0x85));
	assert_true(validate_char_hidden(0x202e));
	assert_true(validate_char_hidden(0xe0020));
	assert_true(validate_char_hidden(0xffff));
	assert_false(validate_char_hidden(' '));
	assert_false(validate_char_hidden(0x3000));
	assert_false(validate_char_hidden(0x5c71));	/* 山 */
	assert_false(validate_char_hidden(0xfffd));
	assert_false(validate_char_hidden(0xe0100));	/* VS17 */
}

/* Katakana fields: spaces alone are empty, marks alone are no name. */
static void
test_katakana_marks_alone(void **state)
{
	assert_int_equal(validate_katakana("・", 64).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("ー", 64).code, ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("・ー　ー", 64).code,
	    ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("　", 64).code, ERR_REQUIRED);
	assert_int_equal(validate_katakana("  ", 64).code, ERR_REQUIRED);
	assert_int_equal(validate_katakana("ヤマダ\u200B", 64).code,
	    ERR_BAD_CHARACTERS);
	assert_int_equal(validate_katakana("ー・ア", 64).code, ERR_NONE);
	assert_int_equal(validate_katakana("ジョン・スミス", 64).code,
	    ERR_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email_table),
		cmocka_unit_test(test_email_length),
		cmocka_unit_test(test_password_table),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_user_id_and_name),
		cmocka_unit_test(test_person_fields),
		cmocka_unit_test(test_name_hidden_characters),
		cmocka_unit_test(test_katakana_marks_alone),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
