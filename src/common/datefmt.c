/* Dates in the display language; see datefmt.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "i18n.h"
#include "xmalloc.h"

/* The month's short name; tm_mon counts from 0. */
static const char *
datefmt_month(int mon)
{
	/* L10N: a month's short name, used where a date format has %b
	   ("23 Jul 2025"); languages whose formats use numbers only may
	   translate it as the number with its counter ("7月"). */
	switch (mon) {
	case 0: return C_("month", "Jan");
	case 1: return C_("month", "Feb");
	case 2: return C_("month", "Mar");
	case 3: return C_("month", "Apr");
	case 4: return C_("month", "May");
	case 5: return C_("month", "Jun");
	case 6: return C_("month", "Jul");
	case 7: return C_("month", "Aug");
	case 8: return C_("month", "Sep");
	case 9: return C_("month", "Oct");
	case 10: return C_("month", "Nov");
	default: return C_("month", "Dec");
	}
}

/* See datefmt.h. */
size_t
datefmt(char *buf, size_t size, const char *fmt, const struct tm *tm)
{
	size_t cap = strlen(fmt) + 1, n = 0, out;
	char *f = xmalloc(cap);

	for (const char *p = fmt; *p != '\0'; p++) {
		const char *name;

		if (p[0] != '%' || p[1] != 'b') {
			/* "%%" is copied whole, so "%%b" stays a literal. */
			if (p[0] == '%' && p[1] != '\0') {
				f[n++] = *p++;
			}
			f[n++] = *p;
			continue;
		}
		p++;
		name = datefmt_month(tm->tm_mon);
		/* Each character may need doubling if it is a '%'. */
		cap += 2 * strlen(name);
		f = xreallocarray(f, cap, 1);
		for (; *name != '\0'; name++) {
			if (*name == '%')
				f[n++] = '%';
			f[n++] = *name;
		}
	}
	f[n] = '\0';
	/* The format is the catalogue's, built above; strftime cannot
	 * read past its arguments whatever it holds. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	out = strftime(buf, size, f, tm);
#pragma GCC diagnostic pop
	free(f);
	return out;
}
