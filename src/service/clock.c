/* The service's clock, with a test offset. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "clock.h"

/* Read the test offset; 0 when the file is missing or holds no number. */
static long long
clock_offset(const char *offset_file)
{
	char buf[64];
	long long off = 0;
	FILE *f;

	if (offset_file == NULL || *offset_file == '\0')
		return 0;
	if ((f = fopen(offset_file, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) != NULL)
		off = strtoll(buf, NULL, 10);
	fclose(f);
	return off;
}

/* Seconds since the epoch, plus the test offset. */
time_t
clock_now(const char *offset_file)
{
	return time(NULL) + (time_t)clock_offset(offset_file);
}
