/* Strict JSON reading on top of cJSON, shared by both programs: a body is
 * one object, valid UTF-8, nothing after it; fields are checked against
 * the list a request allows, and each failure names the field. */
#ifndef MADOGUCHI_JSONUTIL_H
#define MADOGUCHI_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "errcode.h"

/* Parse len bytes as a single JSON object; *out is owned by the caller. */
enum errcode json_parse_object(const char *body, size_t len, cJSON **out);

/* Every member of obj must be named in allowed (NULL-terminated); on
 * failure *field is the first stray member's name (points into obj). */
enum errcode json_check_fields(const cJSON *obj, const char *const *allowed,
    const char **field);

/* A string member of at most maxbytes bytes.  A missing member gives
 * ERR_MISSING_FIELD when required, else *out = NULL and ERR_NONE. */
enum errcode json_get_string(const cJSON *obj, const char *key, bool required,
    size_t maxbytes, const char **out);

/* An integer member (a JSON number with no fraction). */
enum errcode json_get_int(const cJSON *obj, const char *key, bool required,
    long long *out);

/* A member as a string, or def when missing or not a string. */
const char *json_string_or(const cJSON *obj, const char *key, const char *def);
/* A member as a number (a fraction cut off), or def when missing, not a
 * number, or beyond ±9e15. */
long long json_int_or(const cJSON *obj, const char *key, long long def);

#endif
