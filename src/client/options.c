/* Command line and configuration file. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "i18n.h"
#include "lang.h"
#include "theme.h"
#include "options.h"
#include "xmalloc.h"

#define OPT_CACERT 256
#define OPT_SCREENS 257
#define OPT_TIMEOUT 258
#define OPT_COLOURS 259
#define OPT_KIOSK 260

static const struct option options_long[] = {
	{ "server", required_argument, NULL, 's' },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "screens", required_argument, NULL, OPT_SCREENS },
	{ "lang", required_argument, NULL, 'L' },
	{ "colours", required_argument, NULL, OPT_COLOURS },
	{ "kiosk", no_argument, NULL, OPT_KIOSK },
	{ "config", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Print the usage text. */
static void
options_usage(FILE *f)
{
	fprintf(f, _("Usage: %s [OPTIONS]\n"), "madoguchi");
	fputs(_("Keyboard-only terminal client for the madoguchi account service.\n"), f);
	fputs("\n", f);
	fputs(_("  -s, --server URL      the service (default https://127.0.0.1:8443)\n"), f);
	fputs(_("      --cacert FILE     CA certificate(s) that sign the service's certificate\n"), f);
	fputs(_("      --screens DIR     where the *.screen files are\n"), f);
	fputs(_("  -L, --lang CODE       display language: ja en zh_CN zh_TW ko es vi tl\n"), f);
	fputs(_("  -c, --config FILE     read settings from FILE\n"), f);
	fputs(_("      --timeout SECONDS network timeout (default 15)\n"), f);
	fputs(_("      --colours SCHEME  standard, blue, yellow or black; NO_COLOR=1 for none\n"), f);
	fputs(_("      --kiosk           counter terminal: no way out, reset when idle\n"), f);
	fputs(_("  -h, --help            show this help and exit\n"), f);
	fputs(_("  -V, --version         show the version and exit\n"), f);
}

/* Stop with a usage error, before curses has started. */
static void __attribute__((noreturn, format(printf, 1, 2)))
options_die(const char *fmt, ...)
{
	va_list ap;

	fputs("madoguchi: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Replace *dst with a copy of src. */
static void
options_set(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src);
}

/* A timeout in seconds, 1 to 600. */
static int
options_timeout(const char *s, long *out)
{
	return conf_parse_long(s, 1, 600, out);
}

/* One configuration file setting. */
static int
options_conf(void *ctx, const char *key, const char *value, char **problem)
{
	struct options *o = ctx;

	if (strcmp(key, "server") == 0)
		options_set(&o->server, value);
	else if (strcmp(key, "cacert") == 0)
		options_set(&o->cacert, value);
	else if (strcmp(key, "screens") == 0)
		options_set(&o->screens, value);
	else if (strcmp(key, "lang") == 0) {
		if (!lang_valid(value)) {
			xasprintf(problem, "unknown language \"%s\"", value);
			return -1;
		}
		options_set(&o->lang, value);
	} else if (strcmp(key, "kiosk") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			xasprintf(problem, "kiosk must be yes or no");
			return -1;
		}
		o->kiosk = strcmp(value, "yes") == 0;
	} else if (strcmp(key, "kiosk_idle") == 0 ||
	    strcmp(key, "kiosk_warning") == 0) {
		long *slot = key[6] == 'i' ? &o->kiosk_idle : &o->kiosk_warning;

		if (conf_parse_long(value, 3, 86400, slot) != 0) {
			xasprintf(problem, "%s must be 3 to 86400 seconds", key);
			return -1;
		}
	} else if (strcmp(key, "timezone") == 0) {
		options_set(&o->timezone, value);
	} else if (strcmp(key, "staff_code_file") == 0) {
		options_set(&o->staff_code_file, value);
	} else if (strcmp(key, "colours") == 0) {
		if (!theme_valid(value)) {
			xasprintf(problem, "unknown colour scheme \"%s\"", value);
			return -1;
		}
		options_set(&o->colours, value);
	} else if (strcmp(key, "timeout") == 0) {
		if (options_timeout(value, &o->timeout) != 0) {
			xasprintf(problem, "timeout must be 1 to 600 seconds");
			return -1;
		}
	} else {
		xasprintf(problem, "unknown setting \"%s\"", key);
		return -1;
	}
	return 0;
}

/* The configuration file to read when -c is not given, if one exists:
 * the person's own, else the machine's. */
static char *
options_default_config(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path = NULL;

	if (xdg != NULL && *xdg == '/')
		xasprintf(&path, "%s/madoguchi/madoguchi.conf", xdg);
	else if (home != NULL && *home != '\0')
		xasprintf(&path, "%s/.config/madoguchi/madoguchi.conf", home);
	if (path != NULL && access(path, F_OK) != 0)
		free_clear(&path);
	/* Then the machine's (a package's /etc/madoguchi/madoguchi.conf):
	 * a counter's terminals are set up once for every account. */
	if (path == NULL && access(SYSCONFDIR "/madoguchi/madoguchi.conf",
	    F_OK) == 0)
		path = xstrdup(SYSCONFDIR "/madoguchi/madoguchi.conf");
	return path;
}

/* Defaults, config file, command line. */
void
options_parse(struct options *o, int argc, char **argv)
{
	const char *short_opts = "s:L:c:hV";
	const char *env_screens = getenv("MADOGUCHI_SCREENS");
	char *config = NULL, *error;
	bool help = false, version = false;
	int c;

	memset(o, 0, sizeof *o);
	o->server = xstrdup("https://127.0.0.1:8443");
	o->screens = xstrdup(env_screens != NULL && *env_screens != '\0' ?
	    env_screens : PKGDATADIR "/screens");
	o->timeout = 15;
	o->kiosk_idle = 120;
	o->kiosk_warning = 30;

	/* First pass: only what decides which file to read, the language
	 * every message below speaks, and the options that exit at once. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, options_long,
	    NULL)) != -1) {
		if (c == 'c')
			options_set(&config, optarg);
		else if (c == 'L' && lang_valid(optarg))
			/* --lang ja --timeout 0 and --timeout 0 --lang ja
			 * both complain in Japanese, --help too. */
			lang_set(optarg);
		else if (c == 'h')
			help = true;
		else if (c == 'V')
			version = true;
	}
	if (help) {
		options_usage(stdout);
		exit(0);
	}
	if (version) {
		printf("madoguchi %s\n", PACKAGE_VERSION);
		exit(0);
	}
	if (config == NULL)
		config = options_default_config();
	if (config != NULL && conf_load(config, options_conf, o, &error) != 0)
		options_die("%s", error);
	free(config);

	/* Second pass: the command line overrides the file. */
	optind = 0;
	opterr = 1;
	while ((c = getopt_long(argc, argv, short_opts, options_long,
	    NULL)) != -1) {
		switch (c) {
		case 's':
			options_set(&o->server, optarg);
			break;
		case OPT_CACERT:
			options_set(&o->cacert, optarg);
			break;
		case OPT_SCREENS:
			options_set(&o->screens, optarg);
			break;
		case 'L':
			if (!lang_valid(optarg))
				options_die(_("unknown language \"%s\" (one of: ja en zh_CN zh_TW ko es vi tl)"), optarg);
			options_set(&o->lang, optarg);
			break;
		case OPT_KIOSK:
			o->kiosk = 1;
			break;
		case OPT_COLOURS:
			if (!theme_valid(optarg))
				options_die(_("unknown colour scheme \"%s\" (one of: standard blue yellow black)"), optarg);
			options_set(&o->colours, optarg);
			break;
		case OPT_TIMEOUT:
			if (options_timeout(optarg, &o->timeout) != 0)
				options_die(_("--timeout must be 1 to 600 seconds"));
			break;
		case 'c':
			break;
		default:
			options_usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		options_die(_("unexpected argument \"%s\""), argv[optind]);
}

/* Free the strings. */
void
options_free(struct options *o)
{
	free(o->server);
	free(o->cacert);
	free(o->screens);
	free(o->lang);
	free(o->colours);
	free(o->staff_code_file);
	free(o->timezone);
}
