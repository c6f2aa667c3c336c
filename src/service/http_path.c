/* Route path matching (http.h: a "{}" segment is a parameter). */
#include "config.h"

#include <string.h>

#include "http_path.h"
#include "xmalloc.h"

/* Does path match pattern, where a "{}" segment matches any one
 * segment?  *param (when not NULL) gets that segment, malloc'd. */
bool
http_path_match(const char *pattern, const char *path, char **param)
{
	const char *hole = strstr(pattern, "{}");
	size_t pre, post, seg;

	if (param != NULL)
		*param = NULL;
	if (hole == NULL)
		return strcmp(pattern, path) == 0;
	pre = (size_t)(hole - pattern);
	post = strlen(hole + 2);
	if (strncmp(pattern, path, pre) != 0 || strlen(path) < pre + post + 1)
		return false;
	seg = strlen(path) - pre - post;
	if (strcmp(path + pre + seg, hole + 2) != 0)
		return false;
	for (size_t i = 0; i < seg; i++) {
		unsigned char c = (unsigned char)path[pre + i];

		if (c == '/' || c <= 0x20 || c >= 0x7f)
			return false;
	}
	if (param != NULL)
		*param = xstrndup(path + pre, seg);
	return true;
}
