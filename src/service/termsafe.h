/* Text from the database or the command line, made safe for an
 * operator's terminal: the admin commands print user IDs, names and
 * mail rows that may hold escape sequences, C1 controls or
 * bidirectional overrides stored before the field rules refused them
 * (issue 9).  Anything validate_char_hidden() names, and bytes that are
 * not UTF-8, come out as visible escapes; the rest is left as it is. */
#ifndef MADOGUCHID_TERMSAFE_H
#define MADOGUCHID_TERMSAFE_H

#include <stdio.h>

/* s with \t \n \r, \xNN (other ASCII controls and bytes that are not
 * UTF-8), \uNNNN or \UNNNNNNNN (other hidden code points) and \\ for
 * a backslash, so that every escape reads back unambiguously; malloc'd. */
char *termsafe_text(const char *s);
/* s as a JSON string literal, quotes included, for --json: the same
 * characters escaped (as \uXXXX; a byte that is not UTF-8 becomes
 * \ufffd, since JSON text is UTF-8), so that the JSON read on a
 * terminal is as safe as the plain output; malloc'd. */
char *termsafe_json(const char *s);
/* Write termsafe_text(s) to f. */
void termsafe_print(FILE *f, const char *s);

#endif
