/* Dates and times as a person reads them, in the display language. */
#ifndef MADOGUCHI_DATEFMT_H
#define MADOGUCHI_DATEFMT_H

#include <stddef.h>
#include <time.h>

/* strftime(3) with fmt from the catalogue, except that %b is the month's
 * short name from the catalogue too: the only locale every machine has is
 * C.UTF-8 (../shared/STYLE.md), whose month names are English, and
 * "23 jul 2025" is unambiguous where 07/23 and 23/07 are not.  Returns
 * the length written, 0 if it did not fit. */
size_t datefmt(char *buf, size_t size, const char *fmt, const struct tm *tm);

#endif
