/* Route path matching, apart from http.c so that the fuzz target
 * (src/fuzz/) can exercise it without linking libmicrohttpd. */
#ifndef MADOGUCHID_HTTP_PATH_H
#define MADOGUCHID_HTTP_PATH_H

#include <stdbool.h>

/* Does path match pattern, where a "{}" segment matches any one non-empty
 * segment of printable ASCII?  *param (when not NULL) gets that segment,
 * malloc'd, or NULL. */
bool http_path_match(const char *pattern, const char *path, char **param);

#endif
