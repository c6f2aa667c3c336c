/* madoguchi: keyboard-only terminal client for the madoguchi service.
 * Start-up order matters: options and screen files are checked before
 * curses starts, so their errors print plainly and exit 2. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "engine.h"
#include "i18n.h"
#include "lang.h"
#include "options.h"
#include "screenfile.h"
#include "session.h"
#include "store.h"
#include "theme.h"
#include "tty.h"
#include "xmalloc.h"

/* Kiosk settings; the staff code file must be readable by its owner
 * only, or anyone at the counter who could read it could leave. */
static int
main_kiosk(struct kiosk *k, const struct options *o, const char *lang,
    char **error)
{
	k->on = true;
	k->idle = o->kiosk_idle;
	k->warning = o->kiosk_warning < o->kiosk_idle ? o->kiosk_warning :
	    o->kiosk_idle - 1;
	k->lang = lang;
	k->scheme = o->colours != NULL ? o->colours : "standard";
	if (o->staff_code_file != NULL) {
		struct stat st;
		FILE *f = fopen(o->staff_code_file, "r");
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		if (f == NULL || fstat(fileno(f), &st) != 0) {
			xasprintf(error, "%s: %s", o->staff_code_file,
			    strerror(errno));
			if (f != NULL)
				fclose(f);
			return -1;
		}
		if ((st.st_mode & 077) != 0) {
			fclose(f);
			xasprintf(error, _("%s: the staff code file must not be readable by group or others"),
			    o->staff_code_file);
			return -1;
		}
		n = getline(&line, &cap, f);
		fclose(f);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n <= 0) {
			free(line);
			xasprintf(error, _("%s: the staff code file is empty"),
			    o->staff_code_file);
			return -1;
		}
		k->staff_code = line;
	}
	return 0;
}

/* Set up, run the engine, tear down. */
int
main(int argc, char **argv)
{
	struct options opts;
	struct sf_set set;
	struct session sess;
	struct store store = { NULL, 0, 0 };
	struct engine eng;
	char *error;
	int rc;

	lang_init();
	/* --help and usage errors already speak the person's language. */
	lang_set(lang_from_env());
	options_parse(&opts, argc, argv);
	/* Dates are shown in Japan time (the manuals' 2025年7月23日 15時)
	 * unless TZ or the configuration names another zone. */
	if (getenv("TZ") == NULL) {
		setenv("TZ", opts.timezone != NULL ? opts.timezone :
		    "Asia/Tokyo", 1);
		tzset();
	}
	session_init(&sess);
	sess.lang = lang_code(opts.lang != NULL ? opts.lang :
	    lang_from_env());
	lang_set(sess.lang);

	if (screenfile_load_dir(opts.screens, &set, &error) != 0) {
		fprintf(stderr, "madoguchi: %s\n", error);
		return 2;
	}
	memset(&eng, 0, sizeof eng);
	eng.set = &set;
	eng.sess = &sess;
	eng.store = &store;
	if ((eng.api = api_new(opts.server, opts.cacert, opts.timeout,
	    &error)) == NULL) {
		fprintf(stderr, "madoguchi: %s\n", error);
		return 2;
	}

	if (opts.kiosk && main_kiosk(&eng.kiosk, &opts, sess.lang, &error) != 0) {
		fprintf(stderr, "madoguchi: %s\n", error);
		return 2;
	}
	sess.kiosk = eng.kiosk.on;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "madoguchi: %s\n",
		    _("standard input and output must be a terminal"));
		return 2;
	}
	tty_signals();
	tty_start();
	if (opts.colours != NULL)
		theme_use(opts.colours);
	rc = engine_run(&eng);
	tty_stop();

	store_clear(&store);
	if (eng.kiosk.staff_code != NULL)
		free_secret(&eng.kiosk.staff_code);
	session_free(&sess);
	api_free(eng.api);
	screenfile_free(&set);
	options_free(&opts);
	return rc;
}
