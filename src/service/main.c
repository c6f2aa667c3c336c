/* madoguchid: options, configuration and subcommands. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "admin.h"
#include "admin_backup.h"
#include "admin_hash.h"
#include "admin_import.h"
#include "admin_content.h"
#include "mail_render.h"
#include "metrics_http.h"
#include "serve.h"
#include "settings.h"
#include "xmalloc.h"

/* Exit statuses: 0 done, 1 failed at run time, 2 bad usage or config. */
#define EXIT_USAGE 2

/* A setting given on the command line, applied after the file. */
struct main_override {
	const char *key;
	const char *value;
};

/* The options, with the setting each stands for. */
static const struct option main_longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "data-dir", required_argument, NULL, 'd' },
	{ "listen", required_argument, NULL, 'l' },
	{ "port", required_argument, NULL, 'p' },
	{ "port-file", required_argument, NULL, 'P' },
	{ "profile", required_argument, NULL, 'R' },
	{ "cert", required_argument, NULL, 'C' },
	{ "key", required_argument, NULL, 'K' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Subcommands; serve when none is given. */
static const struct {
	const char *name;
	int (*run)(const struct settings *, int, char **);
} main_commands[] = {
	{ "user-add", admin_user_add },
	{ "user-import", admin_user_import },
	{ "user-list", admin_user_list },
	{ "user-unlock", admin_user_unlock },
	{ "user-delete", admin_user_delete },
	{ "user-collisions", admin_user_collisions },
	{ "notice-add", admin_notice_add },
	{ "certificate-issue", admin_certificate_issue },
	{ "mail-list", admin_mail_list },
	{ "backup", admin_backup },
	{ "restore", admin_restore },
	{ "hash-rate", admin_hash_rate },
};

/* Print the usage text to f. */
static void
main_usage(FILE *f)
{
	fprintf(f,
	    "usage: madoguchid [OPTIONS] [COMMAND [ARGS]]\n"
	    "\n"
	    "The madoguchi account service (HTTPS, docs/api.md).\n"
	    "\n"
	    "Options:\n"
	    "  -c, --config FILE     read settings from FILE (key = value)\n"
	    "  -d, --data-dir DIR    database and generated certificates\n"
	    "                        (default " LOCALSTATEDIR "/lib/madoguchid)\n"
	    "  -l, --listen ADDR     IP address to listen on (127.0.0.1)\n"
	    "  -p, --port N          port (8443; 0 picks a free one)\n"
	    "      --port-file FILE  write the port listened on to FILE\n"
	    "      --profile NAME    lgpos, oss or immigration (lgpos)\n"
	    "      --cert FILE       PEM server certificate (with --key)\n"
	    "      --key FILE        PEM private key; without both, a local\n"
	    "                        CA and certificate are generated\n"
	    "  -h, --help            show this help\n"
	    "  -V, --version         show the version\n"
	    "\n"
	    "Commands:\n"
	    "  serve                 run the service (the default)\n"
	    "  user-add USER_ID --name NAME [--email EMAIL] [--lang LANG]\n"
	    "                        (lgpos); oss: user-add --name NAME --email\n"
	    "                        EMAIL [--kind KIND], both IDs issued;\n"
	    "                        immigration: user-add --name-latin NAME\n"
	    "                        --category CAT --email EMAIL, ID issued\n"
	    "                        create a user; the password is read from\n"
	    "                        the terminal, or a line of stdin\n"
	    "  user-import FILE|- [--output FILE] [--stop-at-first-error]\n"
	    "                        [--key-ttl HOURS] [--batch N]\n"
	    "                        create users from a CSV file with a\n"
	    "                        header (user-add's fields, password_hash\n"
	    "                        or a mailed key); progress on stderr\n"
	    "  user-list             list users\n"
	    "  user-unlock USER_ID   lift a lockout\n"
	    "  user-delete USER_ID   delete the account of exactly that ID\n"
	    "  user-collisions       list user IDs that differ only in case\n"
	    "  notice-add --title TITLE [--body-file FILE] [--date YYYY-MM-DD]\n"
	    "                        add a notice (the body from stdin without\n"
	    "                        --body-file); prints its number\n"
	    "  certificate-issue USER_ID [--number N]\n"
	    "                        issue a certificate receipt (immigration);\n"
	    "                        prints its number\n"
	    "  mail-list             list queued and sent mails\n"
	    "  backup FILE           copy the database, consistent, while the\n"
	    "                        service runs\n"
	    "  restore FILE          put such a copy into the data directory,\n"
	    "                        which must have no database yet\n"
	    "  hash-rate [SECONDS]   password hashes a second on one thread\n"
	    "\n"
	    "Every command but serve takes --json: one JSON document on\n"
	    "standard output instead of lines of text.\n");
}

/* Map an option letter to its setting name. */
static const char *
main_option_key(int c)
{
	switch (c) {
	case 'd': return "data_dir";
	case 'l': return "listen";
	case 'p': return "port";
	case 'P': return "port_file";
	case 'R': return "profile";
	case 'C': return "cert";
	case 'K': return "key";
	default: return NULL;
	}
}

/* Build the settings: defaults, then the file, then the options.  0, or
 * the exit status. */
static int
main_settings(struct settings *cfg, const char *config_file,
    const struct main_override *ov, size_t nov)
{
	char *error = NULL;

	settings_init(cfg);
	if (config_file != NULL && settings_load(cfg, config_file,
	    &error) != 0) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < nov; i++) {
		if (settings_set(cfg, ov[i].key, ov[i].value, &error) != 0) {
			fprintf(stderr, "madoguchid: %s\n", error);
			free(error);
			return EXIT_USAGE;
		}
	}
	settings_finish(cfg);
	if (cfg->metrics_listen != NULL &&
	    metrics_http_check_listen(cfg->metrics_listen, &error) != 0) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
		return EXIT_USAGE;
	}
	/* Dates in mails are Japan time unless TZ or the configuration
	 * names another zone (003's 2025年7月23日15時). */
	if (getenv("TZ") == NULL && cfg->timezone != NULL) {
		setenv("TZ", cfg->timezone, 1);
		tzset();
	}
	return 0;
}

/* Parse options, build the settings, run the command. */
int
main(int argc, char **argv)
{
	struct main_override ov[sizeof main_longopts / sizeof main_longopts[0]];
	const char *config_file = NULL;
	struct settings cfg;
	size_t nov = 0;
	int c, idx, rc;

	/* Files we create (database, keys) are ours alone unless made
	 * readable on purpose (certificates, port file). */
	umask(077);
	/* Mails are written in each person's language (gettext). */
	mail_render_init();
	/* "+": options end at the command; its own options follow it. */
	while ((c = getopt_long(argc, argv, "+c:d:l:p:hV", main_longopts,
	    &idx)) != -1) {
		const char *key = main_option_key(c);

		if (key != NULL) {
			size_t i;

			/* A repeated option replaces the earlier one. */
			for (i = 0; i < nov && strcmp(ov[i].key, key) != 0; i++)
				;
			ov[i].key = key;
			ov[i].value = optarg;
			if (i == nov)
				nov++;
			continue;
		}
		switch (c) {
		case 'c':
			config_file = optarg;
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("madoguchid %s\n", PACKAGE_VERSION);
			return 0;
		default:
			main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if ((rc = main_settings(&cfg, config_file, ov, nov)) != 0) {
		settings_free(&cfg);
		return rc;
	}
	if (optind >= argc || strcmp(argv[optind], "serve") == 0) {
		if (optind < argc && optind + 1 != argc) {
			fprintf(stderr, "madoguchid: serve takes no arguments\n");
			rc = EXIT_USAGE;
		} else
			rc = serve_run(&cfg);
		settings_free(&cfg);
		return rc;
	}
	rc = -1;
	for (size_t i = 0; i < sizeof main_commands / sizeof main_commands[0];
	    i++) {
		if (strcmp(argv[optind], main_commands[i].name) == 0) {
			rc = main_commands[i].run(&cfg, argc - optind,
			    argv + optind);
			break;
		}
	}
	if (rc == -1) {
		fprintf(stderr, "madoguchid: unknown command \"%s\"\n",
		    argv[optind]);
		main_usage(stderr);
		rc = EXIT_USAGE;
	}
	settings_free(&cfg);
	return rc;
}
