/* Log lines on stderr, each with a level, so that the journal (or any
 * supervisor that keeps stderr) keeps them.
 *
 * Never pass a password, token, code or request body to these: log what
 * happened (method, path, status, user ID at most), not what was sent. */
#ifndef MADOGUCHID_LOG_H
#define MADOGUCHID_LOG_H

/* An informational line. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning: something failed but the service goes on. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error: the service cannot go on (start-up failures). */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
