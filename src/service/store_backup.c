/* Online backup and restore of the SQLite database. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "datadir.h"
#include "fsfile.h"
#include "store_backup.h"
#include "store_int.h"
#include "xmalloc.h"

/* Write the copy beside dest, check it, then rename it into place. */
enum store_rc
store_backup(struct store *st, const char *dest, long long *bytes,
    char **error)
{
	struct db *db;
	struct stat sb;
	enum store_rc rc;
	char *tmp;

	*error = NULL;
	if ((rc = store_conn(st, &db)) != STORE_OK) {
		xasprintf(error, "cannot open the database");
		return rc;
	}
	xasprintf(&tmp, "%s.tmp", dest);
	unlink(tmp);
	rc = db_sqlite_backup(db, tmp, error);
	if (rc == STORE_OK && (fsfile_sync(tmp, false) != 0 ||
	    rename(tmp, dest) != 0 || stat(dest, &sb) != 0)) {
		xasprintf(error, "%s: %s", dest, strerror(errno));
		rc = STORE_ERROR;
	}
	if (rc != STORE_OK) {
		unlink(tmp);
		free(tmp);
		return rc;
	}
	free(tmp);
	/* The rename itself must survive a crash too. */
	(void)fsfile_sync_parent(dest);
	*bytes = (long long)sb.st_size;
	return STORE_OK;
}

/* The database file of a data directory; malloc'd (store.c's name). */
static char *
store_restore_path(const char *data_dir)
{
	char *path;

	xasprintf(&path, "%s/madoguchid.sqlite", data_dir);
	return path;
}

/* Copy a checked backup into a data directory that has no database. */
int
store_restore(const char *data_dir, const char *src_path, char **error)
{
	char *path;

	*error = NULL;
	if (!db_sqlite_sound_file(src_path, error))
		return -1;
	if (datadir_prepare(data_dir, error) != 0)
		return -1;
	path = store_restore_path(data_dir);
	/* Never over a database: a restore goes into a new directory, so
	 * that a mistyped path cannot destroy the live one. */
	if (access(path, F_OK) == 0 || errno != ENOENT) {
		xasprintf(error, "%s already exists: restore into a new data "
		    "directory", path);
		free(path);
		return -1;
	}
	if (db_sqlite_copy_file(src_path, path, error) != STORE_OK) {
		free(path);
		store_restore_undo(data_dir);
		return -1;
	}
	free(path);
	return 0;
}

/* Remove a restored database and what SQLite kept beside it. */
void
store_restore_undo(const char *data_dir)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", NULL };
	char *path = store_restore_path(data_dir);

	for (const char *const *s = suffixes; *s != NULL; s++) {
		char *p;

		xasprintf(&p, "%s%s", path, *s);
		unlink(p);
		free(p);
	}
	free(path);
}
