/* The store's connections and schema migrations, on either engine. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "log.h"
#include "store_int.h"
#include "xmalloc.h"

struct store {
	char *target;		/* SQLite path or PostgreSQL connection string */
	char *name;		/* what messages call it: never the string,
				 * which may hold a password */
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
 * by a hash of the key, so that they lock exactly as real ones do.
 *
 * These are SQLite's; store_migrations_pg below holds the same versions,
 * element for element, in PostgreSQL's DDL. */
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

	/* v5: the purge finds expired sessions by an index, not a scan
	 * (a log-in used to sweep them, scanning every session). */
	"CREATE INDEX sessions_expires ON sessions(expires_at);"
	"PRAGMA user_version = 5;",

	/* v6: which instance holds a mail's claim (store_outbox_claim), so
	 * that an instance started again after a crash gives its old
	 * claims back at once rather than when their lease ends. */
	"ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;"
	"PRAGMA user_version = 6;",
};

/* The same versions for PostgreSQL: BIGINT for INTEGER (and an identity
 * for INTEGER PRIMARY KEY), BYTEA for BLOB; the version is the one row of
 * schema_version (store_schema_pg), set by each element as SQLite's set
 * user_version.  users.user_id sorts bytewise (COLLATE "C"), as SQLite
 * sorts text, so that user-list prints in the same order.  v4 computes
 * the keys with translate(), which changes ASCII letters only, as
 * SQLite's lower() and userkey_of do (PostgreSQL's lower() would also
 * fold other letters). */
static const char *const store_migrations_pg[] = {
	"CREATE TABLE users ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" user_id TEXT COLLATE \"C\" UNIQUE NOT NULL,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" password_hash TEXT NOT NULL,"
	" password_changed_at BIGINT NOT NULL,"
	" failed_logins BIGINT NOT NULL DEFAULT 0,"
	" locked_until BIGINT NOT NULL DEFAULT 0,"
	" last_login BIGINT,"
	" created_at BIGINT NOT NULL,"
	" updated_at BIGINT NOT NULL,"
	" lang TEXT NOT NULL DEFAULT 'ja');"
	"CREATE TABLE sessions ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" token_hash BYTEA UNIQUE NOT NULL,"
	" user_ref BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" created_at BIGINT NOT NULL,"
	" last_seen BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL,"
	" lang TEXT NOT NULL,"
	" prev_login BIGINT);"
	"CREATE INDEX sessions_user_ref ON sessions(user_ref);"
	"UPDATE schema_version SET version = 1;",

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
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" token_hash BYTEA UNIQUE NOT NULL,"
	" email TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" code_hash BYTEA NOT NULL,"
	" attempts BIGINT NOT NULL DEFAULT 0,"
	" existing BIGINT NOT NULL DEFAULT 0,"
	" verified_at BIGINT,"
	" created_at BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL);"
	"CREATE TABLE codes ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" purpose TEXT NOT NULL,"
	" user_ref BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" code_hash BYTEA NOT NULL,"
	" new_email TEXT,"
	" lang TEXT NOT NULL DEFAULT 'ja',"
	" attempts BIGINT NOT NULL DEFAULT 0,"
	" created_at BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL,"
	" used_at BIGINT);"
	"CREATE INDEX codes_user_purpose ON codes(user_ref, purpose);"
	"CREATE TABLE notices ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" published_at BIGINT NOT NULL,"
	" title TEXT NOT NULL,"
	" body TEXT NOT NULL);"
	"CREATE INDEX notices_published ON notices(published_at);"
	"CREATE TABLE receipts ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" user_ref BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" number TEXT UNIQUE NOT NULL,"
	" issued_at BIGINT NOT NULL,"
	" registered_at BIGINT,"
	" last_reminder_at BIGINT);"
	"CREATE INDEX receipts_user ON receipts(user_ref, issued_at);"
	"CREATE TABLE mail_outbox ("
	" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" recipient TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" params TEXT NOT NULL,"
	" created_at BIGINT NOT NULL,"
	" attempts BIGINT NOT NULL DEFAULT 0,"
	" next_attempt_at BIGINT NOT NULL,"
	" sent_at BIGINT,"
	" last_error TEXT);"
	"CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at);"
	"UPDATE schema_version SET version = 2;",

	"CREATE TABLE rate_limits ("
	" bucket TEXT PRIMARY KEY,"
	" window_start BIGINT NOT NULL,"
	" hits BIGINT NOT NULL,"
	" expires_at BIGINT NOT NULL);"
	"CREATE INDEX rate_limits_expires ON rate_limits(expires_at);"
	"CREATE INDEX registrations_expires ON registrations(expires_at);"
	"CREATE INDEX codes_expires ON codes(expires_at);"
	"UPDATE schema_version SET version = 3;",

	"ALTER TABLE users ADD COLUMN user_key TEXT;"
	"ALTER TABLE users ADD COLUMN email_key TEXT;"
	"UPDATE users SET email_key = translate(email,"
	" 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');"
	"UPDATE users SET user_key = translate(user_id,"
	" 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
	" WHERE NOT EXISTS (SELECT 1 FROM users AS older"
	" WHERE translate(older.user_id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
	" 'abcdefghijklmnopqrstuvwxyz') = translate(users.user_id,"
	" 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
	" AND older.id < users.id);"
	"CREATE UNIQUE INDEX users_user_key ON users(user_key);"
	"DROP INDEX users_email;"
	"CREATE INDEX users_email_key ON users(email_key);"
	"CREATE TABLE login_failures ("
	" id_hash BYTEA PRIMARY KEY,"
	" failures BIGINT NOT NULL DEFAULT 0,"
	" locked_until BIGINT NOT NULL DEFAULT 0);"
	"CREATE INDEX login_failures_locked ON login_failures(locked_until);"
	"UPDATE schema_version SET version = 4;",

	"CREATE INDEX sessions_expires ON sessions(expires_at);"
	"UPDATE schema_version SET version = 5;",

	"ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;"
	"UPDATE schema_version SET version = 6;",
};
#define STORE_VERSION \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))
_Static_assert(sizeof store_migrations == sizeof store_migrations_pg,
    "every schema version needs its SQLite and its PostgreSQL element");

/* SQLite: WAL, so that readers do not block the writer; set once, kept
 * in the file. */
static const char store_pragmas[] = "PRAGMA journal_mode = WAL";

/* PostgreSQL: where the schema version is kept (SQLite has
 * user_version). */
static const char store_schema_pg[] =
	"CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL);"
	"INSERT INTO schema_version (version) SELECT 0"
	" WHERE NOT EXISTS (SELECT 1 FROM schema_version);";

/* PostgreSQL: the advisory lock several instances starting together
 * take to migrate one at a time ("mado" in ASCII). */
#define STORE_SCHEMA_LOCK 0x6d61646fLL

/* Thread-exit destructor: close that thread's connection. */
static void
store_conn_destroy(void *db)
{
	db_close(db);
}

/* The calling thread's connection, opened on first use. */
enum store_rc
store_conn(struct store *st, struct db **out)
{
	struct db *db = pthread_getspecific(st->conn_key);

	if (db == NULL) {
		char *error = NULL;

		if ((db = db_open(st->target, &error)) == NULL) {
			log_warn("database: %s", error);
			free(error);
			*out = NULL;
			/* A server that is away (restarting, failing over)
			 * is a busy service, not a broken one. */
			return db_is_postgres(st->target) ? STORE_BUSY :
			    STORE_ERROR;
		}
		pthread_setspecific(st->conn_key, db);
	}
	*out = db;
	return STORE_OK;
}

/* Apply the next migration this database has not had, in its own
 * transaction so that a crash leaves a whole version; the version is
 * read inside it, since another instance may have migrated meanwhile.
 * *done when there was none left. */
static int
store_migrate_next(struct store *st, struct db *db, bool *done,
    char **error)
{
	bool pg = db_engine(db) == DB_POSTGRES;
	long long version = -1;
	enum store_rc rc;

	*done = false;
	if ((rc = db_begin(db)) == STORE_OK)
		rc = db_scalar(db, &version, pg ?
		    "SELECT version FROM schema_version" :
		    "PRAGMA user_version", NULL);
	if (rc == STORE_OK && version >= STORE_VERSION) {
		db_rollback(db);
		if (version == STORE_VERSION) {
			*done = true;
			return 0;
		}
		xasprintf(error, "%s: schema version %lld is newer than this "
		    "program knows (%d)", st->name, version, STORE_VERSION);
		return -1;
	}
	if (rc == STORE_OK && version < 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK)
		rc = pg ? db_script(db, store_migrations_pg[version]) :
		    db_script(db, store_migrations[version]);
	if (rc == STORE_OK)
		rc = db_commit(db);
	if (rc == STORE_OK)
		return 0;
	/* The engine's message before the rollback clears it. */
	xasprintf(error, "%s: migrating from schema version %lld: %s",
	    st->name, version, db_errmsg(db));
	db_rollback(db);
	return -1;
}

/* Apply the migrations this database has not had yet. */
static int
store_migrate(struct store *st, struct db *db, char **error)
{
	bool done = false;

	while (!done) {
		if (store_migrate_next(st, db, &done, error) != 0)
			return -1;
	}
	return 0;
}

/* Bring the schema up to date; on PostgreSQL under an advisory lock, so
 * that instances starting together migrate one after the other (the
 * later ones then find nothing to do). */
static int
store_schema(struct store *st, struct db *db, char **error)
{
	int ret;

	if (db_engine(db) == DB_SQLITE) {
		if (db_script(db, store_pragmas) != STORE_OK) {
			xasprintf(error, "%s: %s", st->name, db_errmsg(db));
			return -1;
		}
		return store_migrate(st, db, error);
	}
	if (db_exec(db, NULL, "SELECT pg_advisory_lock(?1)", "i",
	    STORE_SCHEMA_LOCK) != STORE_OK ||
	    db_script(db, store_schema_pg) != STORE_OK) {
		xasprintf(error, "%s: %s", st->name, db_errmsg(db));
		ret = -1;
	} else
		ret = store_migrate(st, db, error);
	/* Ends with the session anyway, should this fail. */
	(void)db_exec(db, NULL, "SELECT pg_advisory_unlock(?1)", "i",
	    STORE_SCHEMA_LOCK);
	return ret;
}

/* Open the database and bring its schema up to date. */
struct store *
store_open(const char *data_dir, const char *database, char **error)
{
	struct store *st;
	struct db *db;

	*error = NULL;
	if (datadir_prepare(data_dir, error) != 0)
		return NULL;
	st = xcalloc(1, sizeof *st);
	if (database != NULL)
		st->target = xstrdup(database);
	else
		xasprintf(&st->target, "%s/madoguchid.sqlite", data_dir);
	st->name = xstrdup(db_is_postgres(st->target) ? "PostgreSQL database" :
	    st->target);
	if (pthread_key_create(&st->conn_key, store_conn_destroy) != 0) {
		xasprintf(error, "pthread_key_create failed");
		free_secret(&st->target);
		free(st->name);
		free(st);
		return NULL;
	}
	if ((db = db_open(st->target, error)) == NULL)
		goto fail;
	pthread_setspecific(st->conn_key, db);
	if (store_schema(st, db, error) != 0)
		goto fail;
	/* A row left without its key (v4) takes it once it is free. */
	if (store_user_rekey(st) != STORE_OK)
		log_warn("%s: could not give case-insensitive keys to user "
		    "IDs that had none; retried at the next start", st->name);
	return st;

fail:
	store_close(st);
	return NULL;
}

/* Close the calling thread's connection and free the store. */
void
store_close(struct store *st)
{
	struct db *db;

	if (st == NULL)
		return;
	if ((db = pthread_getspecific(st->conn_key)) != NULL) {
		pthread_setspecific(st->conn_key, NULL);
		db_close(db);
	}
	pthread_key_delete(st->conn_key);
	free_secret(&st->target);
	free(st->name);
	free(st);
}

/* One trivial query: the database answers. */
enum store_rc
store_ping(struct store *st)
{
	struct db *db;
	long long one;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	return db_scalar(db, &one, "SELECT 1", "");
}
