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
#include "store_backup.h"
#include "store_int.h"
#include "xmalloc.h"

/* How often a step that found the source locked is tried again, and
 * how long between tries (milliseconds).  In WAL mode readers are
 * never locked out; this only covers a checkpoint in progress. */
#define STORE_BACKUP_TRIES 100
#define STORE_BACKUP_PAUSE 50

/* Copy every page of src into dst in one step: one read transaction
 * on src, so the copy is of one instant however busy the writers are. */
static int
store_backup_copy(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc = SQLITE_ERROR;

	if (b == NULL)
		return sqlite3_errcode(dst);
	for (int i = 0; i < STORE_BACKUP_TRIES; i++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(STORE_BACKUP_PAUSE);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
		rc = sqlite3_errcode(dst);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Does PRAGMA quick_check find db sound? */
static bool
store_backup_sound(sqlite3 *db)
{
	sqlite3_stmt *stmt;
	bool ok;

	if (store_prepare(db, "PRAGMA quick_check", &stmt) != STORE_OK)
		return false;
	ok = sqlite3_step(stmt) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0 &&
	    sqlite3_step(stmt) == SQLITE_DONE;
	sqlite3_finalize(stmt);
	return ok;
}

/* fsync a file or directory by path; 0 or -1. */
static int
store_backup_sync(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) |
	    O_CLOEXEC);
	int rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* The directory part of path ("." when none); malloc'd. */
static char *
store_backup_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Write the copy beside dest, check it, then rename it into place. */
enum store_rc
store_backup(struct store *st, const char *dest, long long *bytes,
    char **error)
{
	sqlite3 *src = store_db(st), *dst = NULL;
	char *tmp, *dir;
	struct stat sb;
	int rc;

	*error = NULL;
	if (src == NULL) {
		xasprintf(error, "cannot open the database");
		return STORE_ERROR;
	}
	xasprintf(&tmp, "%s.tmp", dest);
	unlink(tmp);
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = store_backup_copy(dst, src);
	/* The copy keeps WAL mode from its source: make it one file. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL,
		    NULL, NULL);
	if (rc == SQLITE_OK && !store_backup_sound(dst)) {
		xasprintf(error, "%s: the copy failed its check", tmp);
		rc = SQLITE_CORRUPT;
	}
	if (rc != SQLITE_OK && *error == NULL)
		xasprintf(error, "%s: %s", tmp, dst != NULL ?
		    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close_v2(dst);
	if (rc == SQLITE_OK && (store_backup_sync(tmp, false) != 0 ||
	    rename(tmp, dest) != 0 || stat(dest, &sb) != 0)) {
		xasprintf(error, "%s: %s", dest, strerror(errno));
		rc = SQLITE_IOERR;
	}
	if (rc != SQLITE_OK) {
		unlink(tmp);
		free(tmp);
		return rc == SQLITE_FULL ? STORE_FULL : STORE_ERROR;
	}
	free(tmp);
	/* The rename itself must survive a crash too. */
	dir = store_backup_dirname(dest);
	(void)store_backup_sync(dir, true);
	free(dir);
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
	sqlite3 *src = NULL, *dst = NULL;
	char *path;
	int rc;

	*error = NULL;
	rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK || !store_backup_sound(src)) {
		xasprintf(error, "%s: not a sound madoguchid database (%s)",
		    src_path, src != NULL ? sqlite3_errmsg(src) :
		    sqlite3_errstr(rc));
		sqlite3_close_v2(src);
		return -1;
	}
	if (datadir_prepare(data_dir, error) != 0) {
		sqlite3_close_v2(src);
		return -1;
	}
	path = store_restore_path(data_dir);
	/* Never over a database: a restore goes into a new directory, so
	 * that a mistyped path cannot destroy the live one. */
	if (access(path, F_OK) == 0 || errno != ENOENT) {
		xasprintf(error, "%s already exists: restore into a new data "
		    "directory", path);
		free(path);
		sqlite3_close_v2(src);
		return -1;
	}
	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = store_backup_copy(dst, src);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = WAL", NULL, NULL,
		    NULL);
	if (rc != SQLITE_OK)
		xasprintf(error, "%s: %s", path, dst != NULL ?
		    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close_v2(dst);
	sqlite3_close_v2(src);
	if (rc != SQLITE_OK)
		store_restore_undo(data_dir);
	free(path);
	return rc == SQLITE_OK ? 0 : -1;
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
