/* "key = value" configuration files. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "xmalloc.h"

static char *
conf_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int
conf_load(const char *path, conf_setting_fn fn, void *ctx, char **error)
{
	FILE *f;
	char *line = NULL, *problem = NULL;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;

	*error = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		char *key, *value, *eq;
		size_t vlen;

		lineno++;
		key = conf_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			xasprintf(error, "%s:%ld: expected \"key = value\"", path,
			    lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = conf_trim(key);
		value = conf_trim(eq + 1);
		vlen = strlen(value);
		if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
			value[vlen - 1] = '\0';
			value++;
		}
		if (*key == '\0') {
			xasprintf(error, "%s:%ld: missing key", path, lineno);
			rc = -1;
			break;
		}
		if (fn(ctx, key, value, &problem) != 0) {
			xasprintf(error, "%s:%ld: %s", path, lineno,
			    problem != NULL ? problem : "invalid setting");
			free(problem);
			rc = -1;
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

int
conf_parse_long(const char *value, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
