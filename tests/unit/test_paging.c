/* A table's page answer: numbers a broken or hostile service sends out of
 * range, or that do not add up, refuse the whole answer. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "paging.h"

struct page_case {
	const char *json;
	bool ok;
};

static const struct page_case page_cases[] = {
	{ "{\"items\":[{},{}],\"page\":1,\"per_page\":20,\"total\":45,\"pages\":3}", true },
	{ "{\"items\":[],\"page\":1,\"per_page\":10,\"total\":0,\"pages\":0}", true },
	{ "{\"items\":[],\"page\":7,\"per_page\":10,\"total\":23,\"pages\":3}", true },
	{ "{\"items\":[],\"page\":1,\"per_page\":1,\"total\":2147483647,\"pages\":2147483647}", true },
	/* 10^15 in all: no int holds it, nor its page count. */
	{ "{\"items\":[],\"page\":1,\"per_page\":20,\"total\":1000000000000000,\"pages\":50000000000000}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":20,\"total\":1000000000000000,\"pages\":1}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":20,\"total\":1e300,\"pages\":1}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":20,\"total\":-5,\"pages\":0}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":20,\"total\":4.5,\"pages\":1}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":20,\"total\":45,\"pages\":2}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":0,\"total\":0,\"pages\":0}", false },
	{ "{\"items\":[],\"page\":0,\"per_page\":10,\"total\":0,\"pages\":0}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":10,\"total\":\"45\",\"pages\":5}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":10,\"pages\":0}", false },
	{ "{\"items\":{},\"page\":1,\"per_page\":10,\"total\":0,\"pages\":0}", false },
	{ "{\"items\":[1,2,3],\"page\":1,\"per_page\":2,\"total\":3,\"pages\":2}", false },
	{ "{\"items\":[],\"page\":1,\"per_page\":10,\"total\":2147483648,\"pages\":214748365}", false },
};

static void
test_page_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof page_cases / sizeof page_cases[0]; i++) {
		cJSON *j = cJSON_Parse(page_cases[i].json);
		struct paging pg;
		bool ok;

		assert_non_null(j);
		ok = paging_read(j, &pg);
		if (ok != page_cases[i].ok)
			fail_msg("%s: %s, want %s", page_cases[i].json,
			    ok ? "taken" : "refused",
			    page_cases[i].ok ? "taken" : "refused");
		if (!ok)
			assert_int_equal(pg.total, 0);
		cJSON_Delete(j);
	}
}

/* What a good answer gives. */
static void
test_page_numbers(void **state)
{
	cJSON *j = cJSON_Parse("{\"items\":[{},{},{}],\"page\":2,"
	    "\"per_page\":20,\"total\":45,\"pages\":3,\"as_of\":1}");
	struct paging pg;

	(void)state;
	assert_true(paging_read(j, &pg));
	assert_int_equal(pg.page, 2);
	assert_int_equal(pg.per_page, 20);
	assert_int_equal(pg.total, 45);
	assert_int_equal(pg.pages, 3);
	assert_int_equal(pg.nitems, 3);
	assert_false(paging_read(NULL, &pg));
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_cases),
		cmocka_unit_test(test_page_numbers),
	};

	return cmocka_run_group_tests_name("paging", tests, NULL, NULL);
}
