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
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
