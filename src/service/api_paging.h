/* Paged lists (notices, certificate receipts): the ?page and ?per_page
 * arguments and the members every page answers with (docs/api.md). */
#ifndef MADOGUCHID_API_PAGING_H
#define MADOGUCHID_API_PAGING_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "http.h"

/* The largest per_page a client may ask for. */
#define API_PAGING_MAX 100

/* Which page a request asks for. */
struct api_page {
	long long page;		/* from 1 */
	long long per_page;
	long long offset;	/* rows before this page */
};

/* Read ?page (default 1) and ?per_page (default def, at most
 * API_PAGING_MAX); false with a 422 bad_format reply naming the
 * argument when either is not a whole number in range. */
bool api_paging_read(const struct http_request *, long def,
    struct api_page *, struct http_reply *);
/* Add "page", "per_page", "total" and "pages" to a page's body. */
void api_paging_add(cJSON *body, const struct api_page *, long long total);

#endif
