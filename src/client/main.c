/* madoguchi: keyboard-only terminal client for the madoguchi service.
 * Start-up order matters: options and screen files are checked before
 * curses starts, so their errors print plainly and exit 2. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "engine.h"
#include "i18n.h"
#include "lang.h"
#include "theme.h"
#include "options.h"
#include "screenfile.h"
#include "session.h"
#include "store.h"
#include "tty.h"
#include "xmalloc.h"

/* Set up, run the engine, tear down. */
int
main(int argc, char **argv)
{
	struct options opts;
	struct sf_set set;
	struct session sess;
	struct store store = { NULL, 0 };
	struct engine eng;
	char *error;
	int rc;

	lang_init();
	/* --help and usage errors already speak the person's language. */
	lang_set(lang_from_env());
	options_parse(&opts, argc, argv);
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
	session_free(&sess);
	api_free(eng.api);
	screenfile_free(&set);
	options_free(&opts);
	return rc;
}
