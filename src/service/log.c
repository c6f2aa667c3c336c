/* Log lines on stderr with a level: timestamped for a terminal or a
 * file, with the journal's priority prefix when stderr is the journal. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "log.h"
#include "xmalloc.h"

/* Is stderr the journal?  systemd sets JOURNAL_STREAM to the device
 * and inode of the stream it connected (systemd.exec(5)); a stderr
 * redirected elsewhere by a wrapper no longer matches.  Checked on each
 * line rather than kept, so that nothing here is mutable state. */
static bool
log_to_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/* Write one whole line with a single write(2), so that lines from
 * several handler threads do not interleave.  priority is syslog's
 * (3 error, 4 warning, 6 info): the journal reads it from a "<N>"
 * prefix and stamps the time itself. */
static void __attribute__((format(printf, 3, 0)))
log_line(int priority, const char *level, const char *fmt, va_list ap)
{
	char stamp[32], *msg, *line;
	struct tm tm;
	time_t t = time(NULL);
	ssize_t n;

	xvasprintf(&msg, fmt, ap);
	/* A log line is one line: control characters from a path or a
	 * user ID must not forge another. */
	for (char *p = msg; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	if (log_to_journal())
		xasprintf(&line, "<%d>madoguchid: %s: %s\n", priority, level,
		    msg);
	else {
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
		xasprintf(&line, "%s madoguchid: %s: %s\n", stamp, level,
		    msg);
	}
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
	log_line(6, "info", fmt, ap);
	va_end(ap);
}

/* A warning line. */
void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(4, "warning", fmt, ap);
	va_end(ap);
}

/* An error line. */
void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(3, "error", fmt, ap);
	va_end(ap);
}
