/* The SQLite engine of the driver: a file in WAL mode, one connection
 * per thread, writers one at a time (BEGIN IMMEDIATE). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db_int.h"
#include "log.h"
#include "xmalloc.h"

struct db_sqlite {
	struct db base;
	sqlite3 *conn;
};

struct db_sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
};

/* Per-connection settings; journal_mode is a property of the file. */
static const char db_sqlite_pragmas[] =
	"PRAGMA foreign_keys = ON;"
	"PRAGMA synchronous = FULL;";

static sqlite3 *
db_sqlite_conn(struct db *db)
{
	return ((struct db_sqlite *)db)->conn;
}

/* Map an SQLite result code, logging real faults. */
static enum store_rc
db_sqlite_rc(sqlite3 *conn, int rc)
{
	/* Read before anything here can change it: SQLite keeps the errno
	 * of a failed write only on the file, and sqlite3_system_errno()
	 * is not set on every path (a failed COMMIT). */
	int sys = errno;
	const char *msg = conn != NULL ? sqlite3_errmsg(conn) :
	    sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CONSTRAINT:
		return STORE_EXISTS;
	case SQLITE_FULL:
		log_warn("database: %s", msg);
		return STORE_FULL;
	case SQLITE_IOERR:
		/* SQLite says SQLITE_FULL only for ENOSPC from write(2); a
		 * quota, or ENOSPC from fsync, is an I/O error to it but a
		 * full disk all the same: nothing was written. */
		if (sys != ENOSPC && sys != EDQUOT && conn != NULL)
			sys = sqlite3_system_errno(conn);
		if (sys == ENOSPC || sys == EDQUOT) {
			log_warn("database: %s: %s", msg, strerror(sys));
			return STORE_FULL;
		}
		log_warn("database: %s", msg);
		return STORE_ERROR;
	default:
		log_warn("database: %s", msg);
		return STORE_ERROR;
	}
}

/* Prepare and bind; with stmt, hand it over for its rows, otherwise step
 * it to the end. */
static enum store_rc
db_sqlite_run(struct db *db, const char *sql, const struct db_value *v,
    int n, struct db_stmt **stmt, long long *changes)
{
	sqlite3 *conn = db_sqlite_conn(db);
	struct db_sqlite_stmt *s;
	sqlite3_stmt *st;
	enum store_rc rc;
	int step;

	if ((step = sqlite3_prepare_v2(conn, sql, -1, &st, NULL)) != SQLITE_OK)
		return db_sqlite_rc(conn, step);
	/* PostgreSQL refuses a count that differs; refuse it here too, so
	 * that the tests on either engine find the mistake. */
	if (sqlite3_bind_parameter_count(st) != n) {
		log_warn("database: %d values for the %d parameters of %s", n,
		    sqlite3_bind_parameter_count(st), sql);
		sqlite3_finalize(st);
		return STORE_ERROR;
	}
	/* Values are copied as they are bound (SQLITE_TRANSIENT), as
	 * libpq sends them at once: a query's rows are stepped after
	 * db_query returns, and callers free what they bound (a user ID's
	 * key) before reading them. */
	for (int i = 0; i < n; i++) {
		switch (v[i].kind) {
		case 'i':
			sqlite3_bind_int64(st, i + 1, v[i].i);
			break;
		case 't':
			sqlite3_bind_text(st, i + 1, v[i].t, -1,
			    SQLITE_TRANSIENT);
			break;
		case 'b':
			sqlite3_bind_blob(st, i + 1, v[i].b, (int)v[i].len,
			    SQLITE_TRANSIENT);
			break;
		default:
			sqlite3_bind_null(st, i + 1);
			break;
		}
	}
	if (stmt != NULL) {
		s = xcalloc(1, sizeof *s);
		s->base.db = db;
		s->stmt = st;
		*stmt = &s->base;
		return STORE_OK;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		;
	rc = db_sqlite_rc(conn, step);
	if (rc == STORE_OK && changes != NULL)
		*changes = sqlite3_changes(conn);
	sqlite3_finalize(st);
	return rc;
}

static enum store_rc
db_sqlite_next(struct db_stmt *stmt)
{
	struct db_sqlite_stmt *s = (struct db_sqlite_stmt *)stmt;
	int step = sqlite3_step(s->stmt);

	if (step == SQLITE_ROW)
		return STORE_OK;
	if (step == SQLITE_DONE)
		return STORE_NOT_FOUND;
	return db_sqlite_rc(db_sqlite_conn(stmt->db), step);
}

static void
db_sqlite_done(struct db_stmt *stmt)
{
	struct db_sqlite_stmt *s = (struct db_sqlite_stmt *)stmt;

	sqlite3_finalize(s->stmt);
	free(s);
}

static bool
db_sqlite_is_null(struct db_stmt *stmt, int col)
{
	return sqlite3_column_type(((struct db_sqlite_stmt *)stmt)->stmt,
	    col) == SQLITE_NULL;
}

static long long
db_sqlite_get_int(struct db_stmt *stmt, int col)
{
	return sqlite3_column_int64(((struct db_sqlite_stmt *)stmt)->stmt,
	    col);
}

static const char *
db_sqlite_get_text(struct db_stmt *stmt, int col)
{
	return (const char *)sqlite3_column_text(
	    ((struct db_sqlite_stmt *)stmt)->stmt, col);
}

static const void *
db_sqlite_get_blob(struct db_stmt *stmt, int col, size_t *len)
{
	sqlite3_stmt *st = ((struct db_sqlite_stmt *)stmt)->stmt;
	const void *b = sqlite3_column_blob(st, col);

	*len = b != NULL ? (size_t)sqlite3_column_bytes(st, col) : 0;
	return b;
}

/* BEGIN IMMEDIATE: take the write lock now, so that a transaction never
 * fails half-way for want of it.  busy_timeout already waits 5 s; try
 * once more before giving up with STORE_BUSY (503), so that a request
 * waits at most about 10 s. */
static enum store_rc
db_sqlite_begin(struct db *db)
{
	sqlite3 *conn = db_sqlite_conn(db);
	int rc = SQLITE_BUSY;

	for (int attempt = 0; attempt < 2; attempt++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		rc = sqlite3_exec(conn, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		nanosleep(&ts, NULL);
	}
	return db_sqlite_rc(conn, rc);
}

/* COMMIT, or roll back if that fails. */
static enum store_rc
db_sqlite_commit(struct db *db)
{
	sqlite3 *conn = db_sqlite_conn(db);
	int rc = sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		enum store_rc src = db_sqlite_rc(conn, rc);

		if (!sqlite3_get_autocommit(conn))
			sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
		return src;
	}
	return STORE_OK;
}

static void
db_sqlite_rollback(struct db *db)
{
	sqlite3 *conn = db_sqlite_conn(db);

	if (!sqlite3_get_autocommit(conn))
		sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
}

static enum store_rc
db_sqlite_script(struct db *db, const char *sql)
{
	sqlite3 *conn = db_sqlite_conn(db);

	return db_sqlite_rc(conn, sqlite3_exec(conn, sql, NULL, NULL, NULL));
}

static const char *
db_sqlite_errmsg(struct db *db)
{
	return sqlite3_errmsg(db_sqlite_conn(db));
}

static void
db_sqlite_close(struct db *db)
{
	sqlite3_close_v2(db_sqlite_conn(db));
	free(db);
}

static const struct db_ops db_sqlite_ops = {
	.run = db_sqlite_run,
	.next = db_sqlite_next,
	.done = db_sqlite_done,
	.is_null = db_sqlite_is_null,
	.get_int = db_sqlite_get_int,
	.get_text = db_sqlite_get_text,
	.get_blob = db_sqlite_get_blob,
	.begin = db_sqlite_begin,
	.commit = db_sqlite_commit,
	.rollback = db_sqlite_rollback,
	.script = db_sqlite_script,
	.errmsg = db_sqlite_errmsg,
	.close = db_sqlite_close,
};

/* Open a connection with the service's settings. */
struct db *
db_sqlite_open(const char *path, char **error)
{
	struct db_sqlite *db;
	sqlite3 *conn = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		xasprintf(error, "%s: %s", path, conn != NULL ?
		    sqlite3_errmsg(conn) : sqlite3_errstr(rc));
		sqlite3_close_v2(conn);
		return NULL;
	}
	sqlite3_busy_timeout(conn, 5000);
	sqlite3_extended_result_codes(conn, 0);
	if (sqlite3_exec(conn, db_sqlite_pragmas, NULL, NULL, NULL) !=
	    SQLITE_OK) {
		xasprintf(error, "%s: %s", path, sqlite3_errmsg(conn));
		sqlite3_close_v2(conn);
		return NULL;
	}
	db = xcalloc(1, sizeof *db);
	db->base.ops = &db_sqlite_ops;
	db->base.engine = DB_SQLITE;
	db->conn = conn;
	return &db->base;
}

/* How often a backup step that found the source locked is tried again,
 * and how long between tries (milliseconds).  In WAL mode readers are
 * never locked out; this only covers a checkpoint in progress. */
#define DB_SQLITE_BACKUP_TRIES 100
#define DB_SQLITE_BACKUP_PAUSE 50

/* Copy every page of src into dst in one step: one read transaction on
 * src, so the copy is of one instant however busy the writers are. */
static int
db_sqlite_copy(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc = SQLITE_ERROR;

	if (b == NULL)
		return sqlite3_errcode(dst);
	for (int i = 0; i < DB_SQLITE_BACKUP_TRIES; i++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(DB_SQLITE_BACKUP_PAUSE);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
		rc = sqlite3_errcode(dst);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Does PRAGMA quick_check find conn sound? */
static bool
db_sqlite_sound(sqlite3 *conn)
{
	sqlite3_stmt *stmt;
	const unsigned char *verdict;
	bool ok;

	if (sqlite3_prepare_v2(conn, "PRAGMA quick_check", -1, &stmt,
	    NULL) != SQLITE_OK)
		return false;
	ok = sqlite3_step(stmt) == SQLITE_ROW &&
	    (verdict = sqlite3_column_text(stmt, 0)) != NULL &&
	    strcmp((const char *)verdict, "ok") == 0 &&
	    sqlite3_step(stmt) == SQLITE_DONE;
	sqlite3_finalize(stmt);
	return ok;
}

/* A consistent, checked, single-file copy. */
enum store_rc
db_sqlite_backup(struct db *db, const char *path, char **error)
{
	sqlite3 *dst = NULL;
	int rc;

	*error = NULL;
	if (db->engine != DB_SQLITE) {
		xasprintf(error, "backup copies a SQLite database; for "
		    "PostgreSQL use pg_dump");
		return STORE_ERROR;
	}
	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = db_sqlite_copy(dst, db_sqlite_conn(db));
	/* The copy keeps WAL mode from its source: make it one file. */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL,
		    NULL, NULL);
	if (rc == SQLITE_OK && !db_sqlite_sound(dst)) {
		xasprintf(error, "%s: the copy failed its check", path);
		rc = SQLITE_CORRUPT;
	}
	if (rc != SQLITE_OK && *error == NULL)
		xasprintf(error, "%s: %s", path, dst != NULL ?
		    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close_v2(dst);
	if (rc == SQLITE_OK)
		return STORE_OK;
	return (rc & 0xff) == SQLITE_FULL ? STORE_FULL : STORE_ERROR;
}

/* Open path read-only and check it. */
bool
db_sqlite_sound_file(const char *path, char **error)
{
	sqlite3 *conn = NULL;
	int rc = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL);
	bool ok = rc == SQLITE_OK && db_sqlite_sound(conn);

	*error = NULL;
	if (!ok)
		xasprintf(error, "%s: not a sound madoguchid database (%s)",
		    path, conn != NULL ? sqlite3_errmsg(conn) :
		    sqlite3_errstr(rc));
	sqlite3_close_v2(conn);
	return ok;
}

/* Copy a database file into a new one, in WAL mode as the service
 * keeps it. */
enum store_rc
db_sqlite_copy_file(const char *src_path, const char *dest, char **error)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc;

	*error = NULL;
	rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE |
		    SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = db_sqlite_copy(dst, src);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = WAL", NULL, NULL,
		    NULL);
	if (rc != SQLITE_OK)
		xasprintf(error, "%s: %s", dest, dst != NULL ?
		    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	sqlite3_close_v2(dst);
	sqlite3_close_v2(src);
	if (rc == SQLITE_OK)
		return STORE_OK;
	return (rc & 0xff) == SQLITE_FULL ? STORE_FULL : STORE_ERROR;
}
