/* Rate-limit keys: what one client is (an IPv4 address, an IPv6 /64),
 * and counter names that fold case and hold no address in clear. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ratelimit_key.h"

static void
test_client_keys(void **state)
{
	static const struct {
		const char *addr;
		const char *key;
	} rows[] = {
		{ "127.0.0.1", "127.0.0.1" },
		{ "203.0.113.7", "203.0.113.7" },
		/* One /64 is one subscriber: the interface part is theirs
		 * to change at will. */
		{ "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64" },
		{ "2001:db8:1:2::1", "2001:db8:1:2::/64" },
		{ "2001:DB8:1:3::1", "2001:db8:1:3::/64" },
		{ "::1", "::/64" },
		/* An IPv4 client on a dual-stack socket. */
		{ "::ffff:192.0.2.10", "192.0.2.10" },
		{ "", "unknown" },
		{ "localhost", "unknown" },
		{ NULL, "unknown" },
	};
	char key[RATELIMIT_CLIENT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		ratelimit_client_key(rows[i].addr, key);
		assert_string_equal(key, rows[i].key);
	}
}

static void
test_buckets(void **state)
{
	char a[RATELIMIT_BUCKET_MAX], b[RATELIMIT_BUCKET_MAX];

	(void)state;
	ratelimit_bucket("login", 't', "Taro@Example.JP", a);
	ratelimit_bucket("login", 't', "taro@example.jp", b);
	/* The same target however it is typed. */
	assert_string_equal(a, b);
	/* Kind, scope, 32 hex digits, and no trace of the address. */
	assert_int_equal(strlen(a), strlen("login/t/") + 32);
	assert_memory_equal(a, "login/t/", 8);
	assert_null(strstr(a, "taro"));
	/* Other kinds, scopes and targets count apart. */
	ratelimit_bucket("code", 't', "taro@example.jp", b);
	assert_string_not_equal(a, b);
	ratelimit_bucket("login", 'c', "taro@example.jp", b);
	assert_string_not_equal(a, b);
	ratelimit_bucket("login", 't', "jiro@example.jp", b);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_keys),
		cmocka_unit_test(test_buckets),
	};

	return cmocka_run_group_tests_name("ratelimit_key", tests, NULL, NULL);
}
