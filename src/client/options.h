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
	long timeout;
};

/* Fill opts from defaults, config file and argv.  Exits for --help and
 * --version (0) and for bad usage (2), before curses starts. */
void options_parse(struct options *, int argc, char **argv);
/* Free the strings. */
void options_free(struct options *);

#endif
