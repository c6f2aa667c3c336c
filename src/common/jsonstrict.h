/* A strict RFC 8259 syntax check, run on request bodies after cJSON has
 * parsed them, because cJSON 1.7.15 is lenient: it accepts numbers such
 * as -01, 2. and .e1, raw tabs, newlines and control characters inside
 * strings, \u escapes with non-hex digits, and form feed as white space
 * (JSONTestSuite n_number_*, n_string_unescaped_*,
 * n_string_invalid_unicode_escape, n_structure_whitespace_formfeed).
 * json_parse_object runs it, so client and service are equally strict. */
#ifndef MADOGUCHI_JSONSTRICT_H
#define MADOGUCHI_JSONSTRICT_H

#include <stdbool.h>
#include <stddef.h>

/* Is text exactly one JSON value (white space around allowed) by the
 * RFC 8259 grammar?  Also refuses "\u0000", which cJSON would silently
 * cut a string at, and nesting deeper than 64. */
bool jsonstrict_valid(const char *text, size_t len);

#endif
