/* Checking a page answer's numbers. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "jsonutil.h"
#include "paging.h"

/* One member as a whole number from min to max. */
static bool
paging_number(const cJSON *answer, const char *key, long long min,
    long long max, int *out)
{
	long long v;

	if (json_get_int(answer, key, true, &v) != ERR_NONE || v < min ||
	    v > max)
		return false;
	*out = (int)v;
	return true;
}

/* See paging.h. */
bool
paging_read(const cJSON *answer, struct paging *out)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(answer, "items");
	struct paging p;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(answer) || !cJSON_IsArray(items) ||
	    !paging_number(answer, "page", 1, PAGING_PAGE_MAX, &p.page) ||
	    !paging_number(answer, "per_page", 1, PAGING_PER_PAGE_MAX,
	    &p.per_page) ||
	    !paging_number(answer, "total", 0, INT_MAX, &p.total) ||
	    !paging_number(answer, "pages", 0, INT_MAX, &p.pages))
		return false;
	/* In long long: total + per_page - 1 may pass INT_MAX. */
	if (p.pages != ((long long)p.total + p.per_page - 1) / p.per_page)
		return false;
	p.nitems = cJSON_GetArraySize(items);
	if (p.nitems > p.per_page)
		return false;
	*out = p;
	return true;
}
