/* Creating the data directory and keeping it private. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "log.h"
#include "xmalloc.h"

/* Create the directory and its parents, each prefix ending before a '/'
 * and then the whole path. */
static int
datadir_mkdirs(const char *dir, char **error)
{
	char *path = xstrdup(dir);
	size_t len = strlen(path);
	int rc = 0;

	for (size_t i = 1; i <= len && rc == 0; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			xasprintf(error, "%s: %s", path, strerror(errno));
			rc = -1;
		}
		if (i < len)
			path[i] = '/';
	}
	free(path);
	return rc;
}

/* A directory made by hand or by an installer (mode 0755, or 0777) would
 * let other local users read the database and the keys: take group and
 * other permissions away, or refuse to run in it. */
static int
datadir_tighten(const char *dir, char **error)
{
	struct stat st;
	mode_t mode;

	if (stat(dir, &st) != 0) {
		xasprintf(error, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		xasprintf(error, "%s: not a directory", dir);
		return -1;
	}
	mode = st.st_mode & 07777;
	if ((mode & 077) == 0)
		return 0;
	if (st.st_uid != geteuid()) {
		xasprintf(error, "%s: the data directory is mode %04o and "
		    "belongs to user %lu, not to this service's user %lu; make "
		    "it the service user's, mode 0700", dir, (unsigned int)mode,
		    (unsigned long)st.st_uid, (unsigned long)geteuid());
		return -1;
	}
	if (chmod(dir, mode & ~(mode_t)077) != 0) {
		xasprintf(error, "%s: the data directory is mode %04o and "
		    "cannot be made 0700: %s", dir, (unsigned int)mode,
		    strerror(errno));
		return -1;
	}
	log_warn("%s: the data directory was mode %04o, open to other users; "
	    "made it %04o", dir, (unsigned int)mode,
	    (unsigned int)(mode & ~(mode_t)077));
	return 0;
}

/* See datadir.h. */
int
datadir_prepare(const char *dir, char **error)
{
	if (datadir_mkdirs(dir, error) != 0)
		return -1;
	return datadir_tighten(dir, error);
}
