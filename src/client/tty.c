/* Terminal ownership, signals and the fatal path. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "theme.h"
#include "tty.h"

#define TTY_PASTE_ON "\033[?2004h"
#define TTY_PASTE_OFF "\033[?2004l"

/* State a signal handler needs; signal handlers can reach nothing else,
 * so this is the one place the client keeps file-scope state. */
static volatile sig_atomic_t tty_quit_flag;
static volatile sig_atomic_t tty_in_fatal;
static volatile sig_atomic_t tty_curses_on;
static struct termios tty_saved_termios;
static bool tty_have_termios;
static char tty_reset_seq[512];	/* written by the crash handler */
static size_t tty_reset_len;
static int tty_saved_stderr = -1;
static int tty_stderr_file = -1;

/* SIGTERM, SIGHUP, SIGINT, SIGQUIT: only note it; the main loop sees the
 * flag within one key timeout and leaves through the normal path. */
static void
tty_on_quit(int sig)
{
	(void)sig;
	tty_quit_flag = 1;
}

/* Copy the saved stderr text to the real stderr; async-signal-safe. */
static void
tty_dump_stderr(void)
{
	char buf[4096];
	ssize_t n;

	if (tty_saved_stderr < 0)
		return;
	dup2(tty_saved_stderr, STDERR_FILENO);
	close(tty_saved_stderr);
	tty_saved_stderr = -1;
	if (tty_stderr_file < 0)
		return;
	if (lseek(tty_stderr_file, 0, SEEK_SET) == 0) {
		while ((n = read(tty_stderr_file, buf, sizeof buf)) > 0) {
			if (write(STDERR_FILENO, buf, (size_t)n) < 0)
				break;
		}
	}
	close(tty_stderr_file);
	tty_stderr_file = -1;
}

/* SIGSEGV, SIGABRT, SIGBUS...: no curses here (not signal-safe).  Write
 * the reset sequences saved at start, restore the saved termios, then
 * die of the same signal with its default action (a core, if enabled). */
static void
tty_on_crash(int sig)
{
	if (tty_curses_on) {
		if (tty_reset_len > 0 &&
		    write(STDOUT_FILENO, tty_reset_seq, tty_reset_len) < 0)
			tty_reset_len = 0;
		if (tty_have_termios)
			tcsetattr(STDIN_FILENO, TCSANOW, &tty_saved_termios);
		tty_dump_stderr();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Install the handlers. */
void
tty_signals(void)
{
	static const int quit[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
	static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tty_on_quit;
	for (size_t i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = tty_on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
	/* A closed connection must be an error from libcurl, not a death. */
	signal(SIGPIPE, SIG_IGN);
}

/* Append a terminfo string capability to the crash reset sequence. */
static void
tty_save_cap(const char *name)
{
	const char *s = tigetstr(name);
	size_t len;

	if (s == NULL || s == (char *)-1)
		return;
	len = strlen(s);
	if (tty_reset_len + len >= sizeof tty_reset_seq)
		return;
	memcpy(tty_reset_seq + tty_reset_len, s, len);
	tty_reset_len += len;
}

/* Send stderr to an unlinked temporary file while curses owns the
 * screen (htop redirectStderr): a stray message would garble it. */
static void
tty_redirect_stderr(void)
{
	char path[] = "/tmp/madoguchi-stderr-XXXXXX";
	const char *dir = getenv("TMPDIR");
	char *tpl = NULL;
	int fd;

	if (dir != NULL && *dir != '\0' &&
	    asprintf(&tpl, "%s/madoguchi-stderr-XXXXXX", dir) < 0)
		tpl = NULL;
	fd = mkstemp(tpl != NULL ? tpl : path);
	if (fd < 0 && tpl != NULL) {
		free(tpl);
		tpl = NULL;
		fd = mkstemp(path);
	}
	if (fd < 0)
		return;
	unlink(tpl != NULL ? tpl : path);
	free(tpl);
	fflush(stderr);
	tty_saved_stderr = dup(STDERR_FILENO);
	if (tty_saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		if (tty_saved_stderr >= 0)
			close(tty_saved_stderr);
		tty_saved_stderr = -1;
		return;
	}
	tty_stderr_file = fd;
}

/* Take the terminal. */
void
tty_start(void)
{
	if (tcgetattr(STDIN_FILENO, &tty_saved_termios) == 0)
		tty_have_termios = true;
	tty_redirect_stderr();
	if (initscr() == NULL)
		tty_fatal("cannot initialise the terminal");
	tty_curses_on = 1;
	/* raw: ^C, ^Z and ^\ arrive as keys, so no key kills the program
	 * behind the screen's back. */
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	meta(stdscr, TRUE);
	set_escdelay(100);
	curs_set(1);
	theme_init();
	/* Bracketed paste, and Shift-Tab on terminals whose terminfo lacks
	 * kcbt (vt100), which would otherwise read as Esc. */
	define_key("\033[200~", TTY_KEY_PASTE_BEGIN);
	define_key("\033[201~", TTY_KEY_PASTE_END);
	if (key_defined("\033[Z") <= 0)
		define_key("\033[Z", KEY_BTAB);
	tty_reset_len = 0;
	memcpy(tty_reset_seq, TTY_PASTE_OFF, sizeof TTY_PASTE_OFF - 1);
	tty_reset_len = sizeof TTY_PASTE_OFF - 1;
	tty_save_cap("sgr0");
	tty_save_cap("cnorm");
	tty_save_cap("rmkx");
	tty_save_cap("rmcup");
	fputs(TTY_PASTE_ON, stdout);
	fflush(stdout);
}

/* Give the terminal back. */
void
tty_stop(void)
{
	if (!tty_curses_on)
		return;
	curs_set(1);
	endwin();
	tty_curses_on = 0;
	fputs(TTY_PASTE_OFF, stdout);
	fflush(stdout);
	tty_dump_stderr();
}

/* True once asked to quit by a signal. */
bool
tty_quit_requested(void)
{
	return tty_quit_flag != 0;
}

/* The one fatal path (nano die(), htop CRT_fatalError): terminal first,
 * then the message, with a guard in case restoring fails too. */
void
tty_fatal(const char *fmt, ...)
{
	va_list ap;

	if (tty_in_fatal++)
		_exit(1);
	tty_stop();
	fputs("madoguchi: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
