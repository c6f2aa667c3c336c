/* Loading libcurl at the first request (src/client/curlload.c): every
 * function the client calls is found and works, and libcurl's own
 * initialisation leaves OpenSSL, which only its libssh2 uses, without
 * the engines libssh2 would have set up. */
#include "config.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "curlload.h"

static void
test_functions(void **state)
{
	struct curlload *c;
	char *error;
	CURL *e;

	(void)state;
	c = curlload_open(&error);
	assert_non_null(c);
	assert_null(error);
	assert_non_null(c->slist_free_all);
	e = c->easy_init();
	assert_non_null(e);
	assert_int_equal(c->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https"),
	    CURLE_OK);
	c->easy_cleanup(e);
	curlload_close(c);
}

/* ENGINE_load_builtin_engines(), which libssh2's crypto initialisation
 * calls, puts "dynamic" and the other built-in engines on OpenSSL's list;
 * libssh2 initialised first without it leaves the list empty. */
static void
test_no_openssl_engines(void **state)
{
	struct curlload *c;
	void *(*engine_first)(void);
	char *error;

	(void)state;
	c = curlload_open(&error);
	assert_non_null(c);
	if (dlsym(c->handle, "libssh2_init") == NULL ||
	    (*(void **)&engine_first = dlsym(c->handle,
	    "ENGINE_get_first")) == NULL) {
		curlload_close(c);
		skip();
	}
	assert_non_null(c->ssh2_exit);
	assert_null(engine_first());
	curlload_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_openssl_engines),
		cmocka_unit_test(test_functions),
	};

	return cmocka_run_group_tests_name("curlload", tests, NULL, NULL);
}
