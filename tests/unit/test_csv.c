/* The RFC 4180 reader of user-import (src/service/csv.c): every form a
 * spreadsheet or database writes, the line each record began on, and
 * malformed records refused without losing the ones after them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* Read text; each record as "line:field|field", or "line!error". */
static void
read_all(const char *text, size_t len, char out[][128], size_t *n)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct csv_record r;
	struct csv *c;
	enum csv_rc rc;

	assert_non_null(f);
	c = csv_new(f);
	*n = 0;
	while ((rc = csv_next(c, &r)) == CSV_RECORD || rc == CSV_BAD) {
		size_t used;

		if (rc == CSV_BAD) {
			snprintf(out[*n], 128, "%ld!%s", r.line, r.error);
		} else {
			used = (size_t)snprintf(out[*n], 128, "%ld:", r.line);
			for (size_t i = 0; i < r.n && used < 128; i++)
				used += (size_t)snprintf(out[*n] + used,
				    128 - used, "%s%s", i > 0 ? "|" : "",
				    r.fields[i]);
		}
		(*n)++;
	}
	assert_int_equal(rc, CSV_END);
	csv_free(c);
	fclose(f);
}

static void
test_forms(void **state)
{
	static const struct {
		const char *text;
		const char *records[4];
	} rows[] = {
		{ "a,b\nc,d\n", { "1:a|b", "2:c|d" } },
		/* CRLF, and no line break at the end. */
		{ "a,b\r\nc,d", { "1:a|b", "2:c|d" } },
		/* Quotes: commas, "" and line breaks inside. */
		{ "\"x, y\",\"say \"\"hi\"\"\"\n", { "1:x, y|say \"hi\"" } },
		{ "\"two\nlines\",z\nnext,row\n",
		    { "1:two\nlines|z", "3:next|row" } },
		{ "\"crlf\r\ninside\",z\r\n", { "1:crlf\r\ninside|z" } },
		/* Empty fields, quoted or not; empty lines are no records. */
		{ ",\"\",\n\n\r\nq\n", { "1:||", "4:q" } },
		/* A byte-order mark; UTF-8 passes as it is. */
		{ "\xef\xbb\xbf名前,メール\n山田,y@example.jp\n",
		    { "1:名前|メール", "2:山田|y@example.jp" } },
		/* A lone CR is data. */
		{ "a\rb,c\n", { "1:a\rb|c" } },
		/* Malformed: skipped, and the reader goes on. */
		{ "ab\"c,d\ne,f\n", { "1!a quote inside a field that does "
		    "not start with one", "2:e|f" } },
		{ "\"ab\"c,d\ne,f\n", { "1!text after a closing quote",
		    "2:e|f" } },
		{ "a,b\n\"open,\nstill\n", { "1:a|b",
		    "2!a quoted field is not closed" } },
	};
	char out[8][128];
	size_t n, want;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		read_all(rows[i].text, strlen(rows[i].text), out, &n);
		for (want = 0; want < 4 && rows[i].records[want] != NULL;
		    want++)
			;
		assert_int_equal(n, want);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(out[k], rows[i].records[k]);
	}
}

static void
test_nul_and_long_records(void **state)
{
	static char big[CSV_RECORD_MAX + 64];
	char out[8][128];
	size_t n;

	(void)state;
	read_all("a\0b,c\nd,e\n", 10, out, &n);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "1!a field holds a NUL byte");
	assert_string_equal(out[1], "2:d|e");
	/* A record longer than the limit is refused, not kept. */
	memset(big, 'x', CSV_RECORD_MAX + 10);
	memcpy(big + CSV_RECORD_MAX + 10, "\nok,1\n", 6);
	read_all(big, CSV_RECORD_MAX + 16, out, &n);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "1!the record is longer than 65536 "
	    "bytes");
	assert_string_equal(out[1], "2:ok|1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_nul_and_long_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
