/* The service's notion of "now".
 *
 * For tests only: when a test clock file is configured, the integer in it
 * (seconds, may be negative) is added to the real time, re-read at every
 * call, so that tests can jump past a session's idle limit or a lockout
 * without sleeping.  "@N" instead stops the clock at N seconds since the
 * epoch, so that the golden screens show the same dates on every run.  A
 * missing or unreadable file counts as 0.  Never set
 * test_clock_file on a real service. */
#ifndef MADOGUCHID_CLOCK_H
#define MADOGUCHID_CLOCK_H

#include <time.h>

/* Seconds since the epoch, plus the test offset when offset_file != NULL. */
time_t clock_now(const char *offset_file);

#endif
