/* Password input from the terminal or stdin. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ttypass.h"
#include "xmalloc.h"

/* Longest line read; longer passwords are refused by every policy. */
#define TTYPASS_MAX 1024

/* Set by SIGINT while echo is off: the read is abandoned and the
 * terminal restored before exiting. */
static volatile sig_atomic_t ttypass_interrupted;

/* SIGINT during a prompt: only note it (read(2) returns EINTR). */
static void
ttypass_sigint(int sig)
{
	(void)sig;
	ttypass_interrupted = 1;
}

/* Strip a trailing newline (and carriage return). */
static void
ttypass_chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* Read one line from fd into buf, byte by byte so that nothing past the
 * newline is consumed; -1 on error or interruption. */
static int
ttypass_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		char c;
		ssize_t got = read(fd, &c, 1);

		if (got < 0 && errno == EINTR && !ttypass_interrupted)
			continue;
		if (got < 0)
			return -1;
		if (got == 0 || c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* Prompt on the terminal with echo off and read one line. */
static int
ttypass_prompt(int fd, const char *prompt, char *buf, size_t size)
{
	struct termios saved, quiet;
	ssize_t w;
	int rc;

	if (tcgetattr(fd, &saved) != 0)
		return -1;
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	w = write(fd, prompt, strlen(prompt));
	(void)w;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
		return -1;
	rc = ttypass_line(fd, buf, size);
	tcsetattr(fd, TCSAFLUSH, &saved);
	w = write(fd, "\n", 1);
	(void)w;
	return rc;
}

/* Twice on the terminal, with echo off; both must match. */
static int
ttypass_from_tty(char **out, char **error)
{
	char *first = xmalloc(TTYPASS_MAX), *second = xmalloc(TTYPASS_MAX);
	struct sigaction sa, old;
	int fd, rc = -1;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1) {
		xasprintf(error, "/dev/tty: %s", strerror(errno));
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ttypass_sigint;	/* no SA_RESTART: read returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (ttypass_prompt(fd, "Password: ", first, TTYPASS_MAX) != 0 ||
	    ttypass_prompt(fd, "Password again: ", second,
	    TTYPASS_MAX) != 0) {
		xasprintf(error, ttypass_interrupted ? "interrupted" :
		    "cannot read the password");
	} else if (strcmp(first, second) != 0)
		xasprintf(error, "the two passwords differ");
	else {
		*out = xstrdup(first);
		rc = 0;
	}
	sigaction(SIGINT, &old, NULL);
	close(fd);
out:
	wipe(first, TTYPASS_MAX);
	wipe(second, TTYPASS_MAX);
	free(first);
	free(second);
	return rc;
}

/* Read a new password from the terminal, or a line from stdin. */
int
ttypass_read(char **out, char **error)
{
	char *line;

	*out = NULL;
	*error = NULL;
	if (isatty(STDIN_FILENO))
		return ttypass_from_tty(out, error);
	line = xmalloc(TTYPASS_MAX);
	if (ttypass_line(STDIN_FILENO, line, TTYPASS_MAX) != 0) {
		xasprintf(error, "cannot read the password from stdin");
		wipe(line, TTYPASS_MAX);
		free(line);
		return -1;
	}
	ttypass_chomp(line);
	*out = xstrdup(line);
	wipe(line, TTYPASS_MAX);
	free(line);
	return 0;
}
