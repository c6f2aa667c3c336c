/* Paged lists: reading ?page and ?per_page, and the page members. */
#include "config.h"

#include <stdlib.h>

#include "api_paging.h"
#include "reply.h"

/* A page number beyond any list this service holds; keeps offsets far
 * from overflow. */
#define API_PAGING_PAGE_MAX 1000000000LL

/* One argument as a whole number from 1 to max; -1 when malformed. */
static long long
api_paging_number(const char *arg, long long max)
{
	long long v = 0;
	int digits = 0;

	for (const char *p = arg; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || ++digits > 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return digits > 0 && v >= 1 && v <= max ? v : -1;
}

/* Read ?page and ?per_page. */
bool
api_paging_read(const struct http_request *req, long def,
    struct api_page *pg, struct http_reply *r)
{
	const char *page = http_request_arg(req, "page");
	const char *per_page = http_request_arg(req, "per_page");

	pg->page = 1;
	pg->per_page = def < API_PAGING_MAX ? def : API_PAGING_MAX;
	if (page != NULL &&
	    (pg->page = api_paging_number(page, API_PAGING_PAGE_MAX)) < 0) {
		reply_error(r, ERR_BAD_FORMAT, "page", NULL,
		    "page must be a whole number from 1");
		return false;
	}
	if (per_page != NULL &&
	    (pg->per_page = api_paging_number(per_page, API_PAGING_MAX)) < 0) {
		reply_error(r, ERR_BAD_FORMAT, "per_page", NULL,
		    "per_page must be a whole number from 1 to %d",
		    API_PAGING_MAX);
		return false;
	}
	pg->offset = (pg->page - 1) * pg->per_page;
	return true;
}

/* The page members. */
void
api_paging_add(cJSON *body, const struct api_page *pg, long long total)
{
	cJSON_AddNumberToObject(body, "page", (double)pg->page);
	cJSON_AddNumberToObject(body, "per_page", (double)pg->per_page);
	cJSON_AddNumberToObject(body, "total", (double)total);
	cJSON_AddNumberToObject(body, "pages",
	    (double)((total + pg->per_page - 1) / pg->per_page));
}
