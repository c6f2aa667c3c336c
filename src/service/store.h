/* Durable state in the database: users and sessions.
 *
 * The database is a SQLite file (the default) or PostgreSQL, which
 * several instances of the service can share (db.h: one set of SQL for
 * both).  Each thread that calls in gets its own connection, opened on
 * first use and closed when the thread ends, so handler threads never
 * share one.  Changes that belong together are made in one write
 * transaction (store_tx); a function that returns STORE_OK has committed
 * (SQLite with synchronous=FULL, PostgreSQL at its commit: answered means
 * stored), any other result has changed nothing.  Every statement binds
 * its values; no SQL is built by printf. */
#ifndef MADOGUCHID_STORE_H
#define MADOGUCHID_STORE_H

#include <stddef.h>

enum store_rc {
	STORE_OK = 0,
	STORE_NOT_FOUND,
	STORE_EXISTS,		/* unique key already taken */
	STORE_EXPIRED,		/* session past its idle limit (now deleted) */
	STORE_BUSY,		/* database still locked after retries */
	STORE_FULL,		/* disk or database full: nothing written */
	STORE_RETRY,		/* the engine gave up on a transaction
				 * (serialization failure, deadlock): run it
				 * again; never leaves the store */
	STORE_ERROR
};

struct store;

/* A user row; strings are owned and released by store_user_clear. */
struct store_user {
	long long ref;
	char *user_id;
	char *name;
	char *email;
	char *password_hash;
	char *lang;
	long long password_changed_at;
	long long failed_logins;
	long long locked_until;
	long long last_login;		/* -1: never */
	long long created_at;
	long long updated_at;
	/* v2: registrant type (oss: individual/corporation), the profile's
	 * fields as a JSON object, and the per-profile extras; NULL when
	 * the row has none (store_account.h reads and writes them). */
	char *kind;
	char *details;
	char *name_latin;
	char *notify_email;
	char *bulk_user_id;
	char *bulk_password_hash;
};

/* A live session with what GET /api/v1/me shows of its user. */
struct store_session {
	long long user_ref;
	char *user_id;
	char *name;
	char *email;
	char *lang;
	long long prev_login;		/* log-in before this one; -1: none */
	long long updated_at;
	long long expires_at;
};

/* Token hashes are crypto_generichash outputs of this size. */
#define STORE_TOKEN_HASH_BYTES 32

/* Open (creating) the database and bring its schema up to date: database
 * is a SQLite file's path or a PostgreSQL connection string (db.h), NULL
 * for DATA_DIR/madoguchid.sqlite.  data_dir is made ready either way (it
 * holds the certificates and the mail outbox).  On failure returns NULL
 * and *error (malloc'd; never the connection string, which may hold a
 * password). */
struct store *store_open(const char *data_dir, const char *database,
    char **error);
/* Close the calling thread's connection and free the store. */
void store_close(struct store *);
/* Does the database answer?  STORE_OK, or why not (GET /health). */
enum store_rc store_ping(struct store *);

/* Release a user row's strings, wiping the password hash. */
void store_user_clear(struct store_user *);
/* Release a session's strings. */
void store_session_clear(struct store_session *);

/* Add a user (ref, failed_logins, locked_until, last_login ignored). */
enum store_rc store_user_add(struct store *, const struct store_user *);
/* Look a user up by user ID, without regard to case (userkey.h). */
enum store_rc store_user_find(struct store *, const char *user_id,
    struct store_user *out);
/* Lift a lockout and clear the failure count. */
enum store_rc store_user_unlock(struct store *, const char *user_id,
    long long now);
/* Call fn for each user, in user ID order. */
enum store_rc store_user_list(struct store *,
    void (*fn)(void *ctx, const struct store_user *), void *ctx);
/* Delete the user with exactly this ID (not its key: either row of a
 * collision can be named) and everything that is the user's. */
enum store_rc store_user_delete(struct store *, const char *user_id);
/* Call fn for each user ID that differs only in case from another one
 * made before user IDs were compared without case (v4), with the ID of
 * the row that holds the case-insensitive key (NULL if none does; it is
 * given at the next open).  The former is found only by its exact
 * spelling.  store_userkey.c. */
enum store_rc store_user_collisions(struct store *,
    void (*fn)(void *ctx, const char *user_id, const char *holder),
    void *ctx);

/* Count a failed log-in; at max_failures lock the user until
 * now + duration and restart the count.  *locked_until is the new lock
 * end, or 0 when this failure did not lock. */
enum store_rc store_login_failed(struct store *, long long ref,
    long long now, long max_failures, long duration,
    long long *locked_until);
/* The same password hashed again at the configured cost (a log-in that
 * found old_hash made with another): stored only if old_hash is still
 * the one stored; STORE_NOT_FOUND when it is not (changed meanwhile). */
enum store_rc store_user_rehash(struct store *, long long ref,
    const char *old_hash, const char *new_hash);
/* A correct password that cannot log in (expired): clear the count. */
enum store_rc store_login_reset(struct store *, long long ref);
/* A successful log-in: clear the count, record the log-in time and
 * create the session, all at once. */
enum store_rc store_session_create(struct store *, long long ref,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang);
/* Find the session with this token hash.  If live, fill *out and, when
 * its idle deadline is more than slack seconds short of now +
 * idle_timeout, move it there; *touch is the result of that write
 * (STORE_OK also when none was needed), and out->expires_at the deadline
 * in force either way, so that a caller that only reads can go on while
 * writes fail.  If expired, delete it (when the database can) and return
 * STORE_EXPIRED. */
enum store_rc store_session_touch(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long idle_timeout, long slack, struct store_session *out,
    enum store_rc *touch);
/* Move a live session's deadline to now + idle_timeout, into
 * *expires_at; STORE_EXPIRED when it has ended. */
enum store_rc store_session_extend(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long idle_timeout, long long *expires_at);
/* Set the language of a session's later mails. */
enum store_rc store_session_set_lang(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], const char *lang);
/* Delete the session with this token hash (log-out). */
enum store_rc store_session_delete(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES]);

#endif
