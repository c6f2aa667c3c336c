/* Dates with the month's name from the catalogue (%b), everything else
 * as strftime does it.  Without a catalogue the names are English. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "datefmt.h"

static struct tm
july_23(void)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = 2025 - 1900;
	tm.tm_mon = 6;
	tm.tm_mday = 23;
	tm.tm_hour = 9;
	tm.tm_min = 5;
	return tm;
}

static void
test_month_name(void **state)
{
	struct tm tm = july_23();
	char buf[64];

	(void)state;
	assert_true(datefmt(buf, sizeof buf, "%-d %b %Y, %H:%M", &tm) > 0);
	assert_string_equal(buf, "23 Jul 2025, 09:05");
	tm.tm_mon = 11;
	assert_true(datefmt(buf, sizeof buf, "%b %-d", &tm) > 0);
	assert_string_equal(buf, "Dec 23");
}

static void
test_other_conversions(void **state)
{
	struct tm tm = july_23();
	char buf[64];

	(void)state;
	/* "%%b" is a percent sign and a b, not a month. */
	assert_true(datefmt(buf, sizeof buf, "%%b %Y年%-m月%-d日 %-H時", &tm) > 0);
	assert_string_equal(buf, "%b 2025年7月23日 9時");
	/* Too small a buffer: 0, as strftime says. */
	assert_int_equal(datefmt(buf, 5, "%-d %b %Y", &tm), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_name),
		cmocka_unit_test(test_other_conversions),
	};

	return cmocka_run_group_tests_name("datefmt", tests, NULL, NULL);
}
