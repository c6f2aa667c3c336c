/* Settings: built-in defaults, then the configuration file, then the
 * command line, each overriding the one before. */
#ifndef MADOGUCHI_OPTIONS_H
#define MADOGUCHI_OPTIONS_H

struct options {
	char *server;
	char *cacert;
	char *screens;
	char *lang;		/* NULL: from the environment */
	char *colours;		/* colour scheme; NULL: standard */
	/* Kiosk mode: see struct kiosk in engine.h. */
	int kiosk;
	long kiosk_idle;
	long kiosk_warning;
	char *staff_code_file;
	char *timezone;		/* dates shown, when TZ is not set */
	long timeout;
};

/* Fill opts from defaults, config file and argv.  Exits for --help and
 * --version (0) and for bad usage (2), before curses starts. */
void options_parse(struct options *, int argc, char **argv);
/* Free the strings. */
void options_free(struct options *);

#endif
