/* Log lines on stderr with a UTC timestamp.
 *
 * Never pass a password, token, code or request body to these: log what
 * happened (method, path, status, user ID at most), not what was sent. */
#ifndef MADOGUCHID_LOG_H
#define MADOGUCHID_LOG_H

/* An informational line. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning: something failed but the service goes on. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
