/* "key = value" configuration files, read by both programs.
 *
 * Hand-written because the format is five rules long and no library in
 * the project's dependency set reads it: lines of "key = value", blank
 * lines and "#" comments; values may be double-quoted. */
#ifndef MADOGUCHI_CONF_H
#define MADOGUCHI_CONF_H

/* Called for each setting; returns 0, or -1 with *problem set to a
 * malloc'd description (the loader adds file and line). */
typedef int (*conf_setting_fn)(void *ctx, const char *key, const char *value,
    char **problem);

/* Read path; on failure returns -1 and *error = "path:line: problem". */
int conf_load(const char *path, conf_setting_fn, void *ctx, char **error);

/* Parse a non-negative integer setting; 0 on success. */
int conf_parse_long(const char *value, long min, long max, long *out);

#endif
