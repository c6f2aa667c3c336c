/* A table's page as the service describes it (docs/api.md: items, page,
 * per_page, total, pages), checked before any of it is used or shown:
 * a broken or hostile service may send a total of 10^15, a negative
 * count or pages that do not add up, and an int would wrap them into
 * nonsense.  Such an answer is refused as a whole. */
#ifndef MADOGUCHI_PAGING_H
#define MADOGUCHI_PAGING_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* The largest page number the service serves (api_paging.c). */
#define PAGING_PAGE_MAX 1000000000
/* Rows a page may hold: the service's per_page and page size limits. */
#define PAGING_PER_PAGE_MAX 1000

/* The numbers of a page; each fits an int. */
struct paging {
	int page;		/* 1 .. PAGING_PAGE_MAX */
	int per_page;		/* 1 .. PAGING_PER_PAGE_MAX */
	int total;		/* 0 .. INT_MAX */
	int pages;		/* total / per_page, rounded up */
	int nitems;		/* rows on this page, at most per_page */
};

/* Read a page answer into *out; false, leaving *out zero, unless every
 * member is present, a whole number in range, and they agree. */
bool paging_read(const cJSON *answer, struct paging *out);

#endif
