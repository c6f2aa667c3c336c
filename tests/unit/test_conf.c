/* Configuration files: settings, comments, quotes, and errors that name
 * the file and line. */
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

#include "conf.h"
#include "xmalloc.h"

struct seen {
	char keys[8][32];
	char values[8][64];
	int n;
};

static int
record(void *ctx, const char *key, const char *value, char **problem)
{
	struct seen *s = ctx;

	if (strcmp(key, "port") == 0) {
		long port;

		if (conf_parse_long(value, 0, 65535, &port) != 0) {
			*problem = xstrdup("port must be a number from 0 to 65535");
			return -1;
		}
	}
	snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
	snprintf(s->values[s->n], sizeof s->values[0], "%s", value);
	s->n++;
	return 0;
}

static char *
write_file(const char *text)
{
	char *path = xstrdup("/tmp/madoguchi-conf-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Keys and values are trimmed; comments and blank lines skipped. */
static void
test_conf_ok(void **state)
{
	char *path = write_file("# comment\n\nport = 8443\n  service_name = \"窓口 デモ\"  \n");
	struct seen s = { .n = 0 };
	char *error = NULL;

	assert_int_equal(conf_load(path, record, &s, &error), 0);
	assert_null(error);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.keys[0], "port");
	assert_string_equal(s.values[0], "8443");
	assert_string_equal(s.keys[1], "service_name");
	assert_string_equal(s.values[1], "窓口 デモ");
	unlink(path);
	free(path);
}

/* A bad line and a refused value both give "path:line: problem". */
static void
test_conf_errors(void **state)
{
	char *path = write_file("port = 1\nthis is not a setting\n");
	struct seen s = { .n = 0 };
	char *error = NULL, *want;

	assert_int_equal(conf_load(path, record, &s, &error), -1);
	xasprintf(&want, "%s:2: expected \"key = value\"", path);
	assert_string_equal(error, want);
	free(want);
	free(error);
	unlink(path);
	free(path);

	path = write_file("\n\nport = 99999\n");
	s.n = 0;
	assert_int_equal(conf_load(path, record, &s, &error), -1);
	xasprintf(&want, "%s:3: port must be a number from 0 to 65535", path);
	assert_string_equal(error, want);
	free(want);
	free(error);
	unlink(path);
	free(path);

	assert_int_equal(conf_load("/nonexistent/madoguchi.conf", record, &s,
	    &error), -1);
	assert_non_null(strstr(error, "/nonexistent/madoguchi.conf"));
	free(error);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_ok),
		cmocka_unit_test(test_conf_errors),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
