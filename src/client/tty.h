/* The terminal: curses set-up and teardown, signals, and the one fatal
 * path.  Whatever way the program ends, the terminal is left as it was
 * found: cooked mode, cursor shown, bracketed paste off, main screen. */
#ifndef MADOGUCHI_TTY_H
#define MADOGUCHI_TTY_H

#include <stdbool.h>

#include "curses-wrap.h"

/* Key codes defined for bracketed paste (xterm ESC[200~ / ESC[201~). */
#define TTY_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define TTY_KEY_PASTE_END (KEY_MAX + 2)

/* Install the signal handlers; call before tty_start. */
void tty_signals(void);
/* Take the terminal: curses, raw keys, bracketed paste, stderr to a
 * temporary file. */
void tty_start(void);
/* Give the terminal back and show what went to stderr; safe to repeat. */
void tty_stop(void);
/* True once SIGTERM, SIGHUP, SIGINT or SIGQUIT arrived. */
bool tty_quit_requested(void);
/* Restore the terminal, print "madoguchi: message" and exit 1. */
void tty_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
