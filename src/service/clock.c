/* The service's clock, with a test offset. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "clock.h"

/* Read the test clock: an offset, or with "@" a moment time stands at.
 * *fixed tells which; 0 when the file is missing or holds no number. */
static long long
clock_read(const char *offset_file, int *fixed)
{
	char buf[64];
	long long v = 0;
	FILE *f;

	*fixed = 0;
	if (offset_file == NULL || *offset_file == '\0')
		return 0;
	if ((f = fopen(offset_file, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) != NULL) {
		*fixed = buf[0] == '@';
		v = strtoll(buf + *fixed, NULL, 10);
	}
	fclose(f);
	return v;
}

/* Seconds since the epoch, plus the test offset, or the fixed moment. */
time_t
clock_now(const char *offset_file)
{
	int fixed;
	long long v = clock_read(offset_file, &fixed);

	return fixed ? (time_t)v : time(NULL) + (time_t)v;
}
