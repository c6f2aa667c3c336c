/* Timestamped log lines on stderr. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

/* Write one whole line with a single write(2), so that lines from
 * several handler threads do not interleave. */
static void __attribute__((format(printf, 2, 0)))
log_line(const char *level, const char *fmt, va_list ap)
{
	char stamp[32], *msg, *line;
	struct tm tm;
	time_t t = time(NULL);
	ssize_t n;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	xvasprintf(&msg, fmt, ap);
	/* A log line is one line: control characters from a path or a
	 * user ID must not forge another. */
	for (char *p = msg; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	xasprintf(&line, "%s madoguchid: %s%s\n", stamp, level, msg);
	n = write(STDERR_FILENO, line, strlen(line));
	(void)n;
	free(line);
	free(msg);
}

/* An informational line. */
void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

/* A warning line. */
void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("warning: ", fmt, ap);
	va_end(ap);
}
