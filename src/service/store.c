/* The store's connections, schema migrations and transaction helpers. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "datadir.h"
#include "log.h"
#include "store_int.h"
#include "xmalloc.h"

struct store {
	char *path;
	pthread_key_t conn_key;
};

/* Schema versions in order; migration i takes user_version from i to
 * i + 1 and sets it itself, so that no SQL is ever formatted.  Append,
 * never edit: databases in the field have run the earlier ones.
 *
 * v1: users and sessions.  sessions.prev_login keeps the user's previous
 * log-in time for this session (GET /api/v1/me, 003 §1.5 ⑦), so that a
 * second log-in elsewhere does not change what the first one shows.
 *
 * v2: everything the flows of SPEC.md keep.  users gain the registrant
 * type, the profile's fields as one JSON object (validated per profile
 * before it is stored), the Latin-capitals name that A1 looks up, the
 * notification address, and oss's bulk-user ID and password.
 * registrations hold a pre-registration until it is completed (R3-R7);
 * codes hold the other one-time keys (A2 reset, M3 e-mail change, M6 bulk
 * reset); both store only hashes.  mail_outbox is the durable queue that
 * mail.c delivers from, so a mail is part of the transaction that causes
 * it and is never lost; its params (which may hold a code for the mail
 * text) are cleared once it is delivered.
 *
 * v4 (issue 9): users are looked up by a case-insensitive key
 * (userkey.h): user_key (unique) and email_key, ASCII lower case, which
 * lower() computes alike in SQLite and PostgreSQL.  Rows that differ
 * only in case (made before this version) keep both their rows: the
 * oldest gets the key, the others keep none and are found by their exact
 * spelling only, until an operator settles them (store_user_rekey gives
 * a row its key once it is free; madoguchid user-collisions lists them).
 * login_failures counts failed log-ins for user IDs that do not exist,
 * by a hash of the key, so that they lock exactly as real ones do. */
static const char *const store_migrations[] = {
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" user_id TEXT UNIQUE NOT NULL,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" password_hash TEXT NOT NULL,"
	" password_changed_at INTEGER NOT NULL,"
	" failed_logins INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0,"
	" last_login INTEGER,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" lang TEXT NOT NULL DEFAULT 'ja');"
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" token_hash BLOB UNIQUE NOT NULL,"
	" user_ref INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" lang TEXT NOT NULL,"
	" prev_login INTEGER);"
	"CREATE INDEX sessions_user_ref ON sessions(user_ref);"
	"PRAGMA user_version = 1;",

	"ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN details TEXT NOT NULL DEFAULT '{}';"
	"ALTER TABLE users ADD COLUMN name_latin TEXT;"
	"ALTER TABLE users ADD COLUMN notify_email TEXT;"
	"ALTER TABLE users ADD COLUMN bulk_user_id TEXT;"
	"ALTER TABLE users ADD COLUMN bulk_password_hash TEXT;"
	"CREATE UNIQUE INDEX users_bulk_user_id ON users(bulk_user_id)"
	" WHERE bulk_user_id IS NOT NULL;"
	"CREATE INDEX users_email ON users(email);"
	"CREATE TABLE registrations ("
	" id INTEGER PRIMARY KEY,"
	" token_hash BLOB UNIQUE NOT NULL,"
	" email TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" code_hash BLOB NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" existing INTEGER NOT NULL DEFAULT 0,"
	" verified_at INTEGER,"
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL);"
	"CREATE TABLE codes ("
	" id INTEGER PRIMARY KEY,"
	" purpose TEXT NOT NULL,"
	" user_ref INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" code_hash BLOB NOT NULL,"
	" new_email TEXT,"
	" lang TEXT NOT NULL DEFAULT 'ja',"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" used_at INTEGER);"
	"CREATE INDEX codes_user_purpose ON codes(user_ref, purpose);"
	"CREATE TABLE notices ("
	" id INTEGER PRIMARY KEY,"
	" published_at INTEGER NOT NULL,"
	" title TEXT NOT NULL,"
	" body TEXT NOT NULL);"
	"CREATE INDEX notices_published ON notices(published_at);"
	"CREATE TABLE receipts ("
	" id INTEGER PRIMARY KEY,"
	" user_ref INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" number TEXT UNIQUE NOT NULL,"
	" issued_at INTEGER NOT NULL,"
	" registered_at INTEGER,"
	" last_reminder_at INTEGER);"
	"CREATE INDEX receipts_user ON receipts(user_ref, issued_at);"
	"CREATE TABLE mail_outbox ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" recipient TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" params TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt_at INTEGER NOT NULL,"
	" sent_at INTEGER,"
	" last_error TEXT);"
	"CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at);"
	"PRAGMA user_version = 2;",

	/* v3: rate-limit counters (store_ratelimit.c), one row per client
	 * or target and kind, named by a hash (ratelimit_key.h); and
	 * indexes for the purge (store_purge.c) of dead pre-registrations
	 * and codes, and of counters whose window has ended. */
	"CREATE TABLE rate_limits ("
	" bucket TEXT PRIMARY KEY,"
	" window_start BIGINT NOT NULL,"
	" hits BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL);"
	"CREATE INDEX rate_limits_expires ON rate_limits(expires_at);"
	"CREATE INDEX registrations_expires ON registrations(expires_at);"
	"CREATE INDEX codes_expires ON codes(expires_at);"
	"PRAGMA user_version = 3;",

	"ALTER TABLE users ADD COLUMN user_key TEXT;"
	"ALTER TABLE users ADD COLUMN email_key TEXT;"
	"UPDATE users SET email_key = lower(email);"
	"UPDATE users SET user_key = lower(user_id) WHERE NOT EXISTS"
	" (SELECT 1 FROM users AS older"
	" WHERE lower(older.user_id) = lower(users.user_id)"
	" AND older.id < users.id);"
	"CREATE UNIQUE INDEX users_user_key ON users(user_key);"
	"DROP INDEX users_email;"
	"CREATE INDEX users_email_key ON users(email_key);"
	"CREATE TABLE login_failures ("
	" id_hash BLOB PRIMARY KEY,"
	" failures INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX login_failures_locked ON login_failures(locked_until);"
	"PRAGMA user_version = 4;",
};
#define STORE_VERSION \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

/* Per-connection settings; journal_mode is a property of the file. */
static const char store_pragmas[] =
	"PRAGMA foreign_keys = ON;"
	"PRAGMA synchronous = FULL;";

/* Thread-exit destructor: close that thread's connection. */
static void
store_conn_destroy(void *db)
{
	sqlite3_close_v2(db);
}

/* Open a new connection with the service's settings. */
static sqlite3 *
store_connect(const char *path, char **error)
{
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (error != NULL)
			xasprintf(error, "%s: %s", path, db != NULL ?
			    sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close_v2(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 0);
	if (sqlite3_exec(db, store_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		if (error != NULL)
			xasprintf(error, "%s: %s", path, sqlite3_errmsg(db));
		sqlite3_close_v2(db);
		return NULL;
	}
	return db;
}

/* The calling thread's connection, opened on first use. */
sqlite3 *
store_db(struct store *st)
{
	sqlite3 *db = pthread_getspecific(st->conn_key);

	if (db == NULL) {
		char *error = NULL;

		if ((db = store_connect(st->path, &error)) == NULL) {
			log_warn("database: %s", error);
			free(error);
			return NULL;
		}
		pthread_setspecific(st->conn_key, db);
	}
	return db;
}

/* Map an SQLite result code to a store result, logging real faults. */
enum store_rc
store_rc_of(sqlite3 *db, int rc)
{
	/* Read before anything here can change it: SQLite keeps the errno
	 * of a failed write only on the file, and sqlite3_system_errno()
	 * is not set on every path (a failed COMMIT). */
	int sys = errno;

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
		log_warn("database: %s", db != NULL ? sqlite3_errmsg(db) :
		    sqlite3_errstr(rc));
		return STORE_FULL;
	case SQLITE_IOERR:
		/* SQLite says SQLITE_FULL only for ENOSPC from write(2); a
		 * quota, or ENOSPC from fsync, is an I/O error to it but a
		 * full disk all the same: nothing was written. */
		if (sys != ENOSPC && sys != EDQUOT && db != NULL)
			sys = sqlite3_system_errno(db);
		if (sys == ENOSPC || sys == EDQUOT) {
			log_warn("database: %s: %s", db != NULL ?
			    sqlite3_errmsg(db) : sqlite3_errstr(rc),
			    strerror(sys));
			return STORE_FULL;
		}
		log_warn("database: %s", db != NULL ? sqlite3_errmsg(db) :
		    sqlite3_errstr(rc));
		return STORE_ERROR;
	default:
		log_warn("database: %s", db != NULL ? sqlite3_errmsg(db) :
		    sqlite3_errstr(rc));
		return STORE_ERROR;
	}
}

/* Prepare one statement. */
enum store_rc
store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, stmt, NULL);

	if (rc != SQLITE_OK) {
		*stmt = NULL;
		return store_rc_of(db, rc);
	}
	return STORE_OK;
}

/* BEGIN IMMEDIATE: take the write lock now, so that a transaction never
 * fails half-way for want of it.  busy_timeout already waits 5 s; try
 * once more before giving up with STORE_BUSY (503), so that a request
 * waits at most about 10 s. */
enum store_rc
store_begin(sqlite3 *db)
{
	int rc = SQLITE_BUSY;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		{
			struct timespec ts = { 0, 50 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	return store_rc_of(db, rc);
}

/* COMMIT, or roll back if that fails. */
enum store_rc
store_commit(sqlite3 *db)
{
	int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		enum store_rc src = store_rc_of(db, rc);

		store_rollback(db);
		return src;
	}
	return STORE_OK;
}

/* ROLLBACK if a transaction is open. */
void
store_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* A copy of a text column, "" for NULL. */
char *
store_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	return xstrdup(t != NULL ? (const char *)t : "");
}

/* Read PRAGMA user_version. */
static int
store_schema_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Apply the migrations this database has not had yet, each in its own
 * transaction so that a crash leaves a whole version. */
static int
store_migrate(sqlite3 *db, const char *path, char **error)
{
	int version;

	if (store_schema_version(db, &version) != 0) {
		xasprintf(error, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (version > STORE_VERSION) {
		xasprintf(error, "%s: schema version %d is newer than this "
		    "program knows (%d)", path, version, STORE_VERSION);
		return -1;
	}
	for (; version < STORE_VERSION; version++) {
		if (store_begin(db) != STORE_OK ||
		    sqlite3_exec(db, store_migrations[version], NULL, NULL,
		    NULL) != SQLITE_OK ||
		    store_commit(db) != STORE_OK) {
			xasprintf(error, "%s: migrating to schema version %d: "
			    "%s", path, version + 1, sqlite3_errmsg(db));
			store_rollback(db);
			return -1;
		}
	}
	return 0;
}

/* Open the database and bring its schema up to date. */
struct store *
store_open(const char *data_dir, char **error)
{
	struct store *st = xcalloc(1, sizeof *st);
	sqlite3 *db;

	*error = NULL;
	if (datadir_prepare(data_dir, error) != 0) {
		free(st);
		return NULL;
	}
	xasprintf(&st->path, "%s/madoguchid.sqlite", data_dir);
	if (pthread_key_create(&st->conn_key, store_conn_destroy) != 0) {
		xasprintf(error, "pthread_key_create failed");
		free(st->path);
		free(st);
		return NULL;
	}
	if ((db = store_connect(st->path, error)) == NULL)
		goto fail;
	pthread_setspecific(st->conn_key, db);
	/* WAL: readers do not block the writer; set once, kept in the file. */
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		xasprintf(error, "%s: %s", st->path, sqlite3_errmsg(db));
		goto fail;
	}
	if (store_migrate(db, st->path, error) != 0)
		goto fail;
	/* A row left without its key (v4) takes it once it is free. */
	if (store_user_rekey(db) != STORE_OK)
		log_warn("%s: could not give case-insensitive keys to user "
		    "IDs that had none; retried at the next start", st->path);
	return st;

fail:
	store_close(st);
	return NULL;
}

/* Close the calling thread's connection and free the store. */
void
store_close(struct store *st)
{
	sqlite3 *db;

	if (st == NULL)
		return;
	if ((db = pthread_getspecific(st->conn_key)) != NULL) {
		pthread_setspecific(st->conn_key, NULL);
		sqlite3_close_v2(db);
	}
	pthread_key_delete(st->conn_key);
	free(st->path);
	free(st);
}

/* One trivial query: the database answers. */
enum store_rc
store_ping(struct store *st)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;

	if (db == NULL)
		return STORE_BUSY;
	if ((rc = store_prepare(db, "SELECT 1", &stmt)) != STORE_OK)
		return rc;
	rc = store_rc_of(db, sqlite3_step(stmt));
	sqlite3_finalize(stmt);
	return rc;
}
