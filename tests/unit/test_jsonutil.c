/* Strict JSON reading and the error-code table. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jsonutil.h"

static enum errcode
parse(const char *s)
{
	cJSON *obj = NULL;
	enum errcode e = json_parse_object(s, strlen(s), &obj);

	cJSON_Delete(obj);
	return e;
}

/* Only one object, valid UTF-8, with nothing after it, is a body. */
static void
test_parse_object(void **state)
{
	assert_int_equal(parse("{\"a\":\"b\"}"), ERR_NONE);
	assert_int_equal(parse(" {\"a\":1}\n"), ERR_NONE);
	assert_int_equal(parse(""), ERR_MALFORMED_JSON);
	assert_int_equal(parse("[]"), ERR_MALFORMED_JSON);
	assert_int_equal(parse("\"x\""), ERR_MALFORMED_JSON);
	assert_int_equal(parse("{} {}"), ERR_MALFORMED_JSON);
	assert_int_equal(parse("{\"a\":1"), ERR_MALFORMED_JSON);
	assert_int_equal(parse("{\"a\":\"\xff\"}"), ERR_INVALID_ENCODING);
	assert_int_equal(json_parse_object("{}\0{}", 5, &(cJSON *){ NULL }),
	    ERR_MALFORMED_JSON);
}

/* Stray and repeated members are named; types and lengths are checked. */
static void
test_fields(void **state)
{
	static const char *const allowed[] = { "user_id", "password", NULL };
	const char *field = NULL, *s;
	cJSON *obj;

	assert_int_equal(json_parse_object("{\"user_id\":\"a\",\"pin\":1}", 23,
	    &obj), ERR_NONE);
	assert_int_equal(json_check_fields(obj, allowed, &field), ERR_UNKNOWN_FIELD);
	assert_string_equal(field, "pin");
	cJSON_Delete(obj);

	obj = cJSON_Parse("{\"user_id\":\"a\",\"user_id\":\"b\"}");
	assert_int_equal(json_check_fields(obj, allowed, &field), ERR_MALFORMED_JSON);
	cJSON_Delete(obj);

	obj = cJSON_Parse("{\"user_id\":7,\"password\":\"abcdef\"}");
	assert_int_equal(json_get_string(obj, "user_id", true, 10, &s), ERR_WRONG_TYPE);
	assert_int_equal(json_get_string(obj, "password", true, 5, &s), ERR_TOO_LONG);
	assert_int_equal(json_get_string(obj, "password", true, 6, &s), ERR_NONE);
	assert_string_equal(s, "abcdef");
	assert_int_equal(json_get_string(obj, "lang", true, 6, &s), ERR_MISSING_FIELD);
	assert_int_equal(json_get_string(obj, "lang", false, 6, &s), ERR_NONE);
	assert_null(s);
	cJSON_Delete(obj);
}

/* Every code has a unique wire name that maps back to itself. */
static void
test_errcode_names(void **state)
{
	for (int i = 1; i < ERR__COUNT; i++) {
		const char *name = errcode_name((enum errcode)i);

		assert_int_equal(errcode_from_name(name), i);
		for (int j = 1; j < i; j++)
			assert_string_not_equal(name, errcode_name((enum errcode)j));
	}
	assert_int_equal(errcode_from_name("no_such_code"), ERR_NET_BAD_RESPONSE);
	assert_int_equal(errcode_http_status(ERR_INVALID_CREDENTIALS), 401);
	assert_int_equal(errcode_http_status(ERR_BODY_TOO_LARGE), 413);
}

/* A number too large to convert (a broken service's 1e300) is no
 * number: the default, never a wrapped or undefined value. */
static void
test_int_or_range(void **state)
{
	cJSON *obj = cJSON_Parse("{\"a\":1000000000000000,\"b\":1e300,"
	    "\"c\":-1e19,\"d\":-42,\"e\":\"7\",\"f\":9007199254740993}");

	(void)state;
	assert_non_null(obj);
	assert_true(json_int_or(obj, "a", -1) == 1000000000000000LL);
	assert_true(json_int_or(obj, "b", -1) == -1);
	assert_true(json_int_or(obj, "c", -1) == -1);
	assert_true(json_int_or(obj, "d", 0) == -42);
	assert_true(json_int_or(obj, "e", 5) == 5);
	assert_true(json_int_or(obj, "f", 5) == 5);
	assert_true(json_int_or(obj, "missing", 3) == 3);
	cJSON_Delete(obj);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_object),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_errcode_names),
		cmocka_unit_test(test_int_or_range),
	};

	return cmocka_run_group_tests_name("jsonutil", tests, NULL, NULL);
}
