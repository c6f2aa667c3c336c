/* The store's database driver: one small interface, two engines.
 *
 * SQLite (a file, the default) and PostgreSQL (libpq, for several
 * instances sharing one database) run the same SQL: placeholders are
 * written ?1..?N (PostgreSQL's driver turns them into $1..$N), integers
 * are 64-bit, blobs are BLOB/BYTEA.  Where the engines must differ (the
 * schema's DDL, a row lock) the caller asks db_engine().
 *
 * Values are bound from a format string, one letter a value:
 *   'i'  long long
 *   't'  const char *, NULL binds a NULL text
 *   'b'  const void *, size_t (a blob)
 *   'n'  NULL of no type (no argument); only where the SQL gives it one
 * so that a statement is one call:
 * db_exec(db, NULL, sql, "it", id, name). */
#ifndef MADOGUCHID_DB_H
#define MADOGUCHID_DB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "store.h"

enum db_engine {
	DB_SQLITE,
	DB_POSTGRES
};

struct db;
struct db_stmt;

/* Is target a PostgreSQL connection string (postgresql://, postgres://,
 * or key=value words)?  Otherwise it is a SQLite file's path. */
bool db_is_postgres(const char *target);

/* Open a connection; NULL with *error (malloc'd). */
struct db *db_open(const char *target, char **error);
/* Close it (NULL is fine). */
void db_close(struct db *);
enum db_engine db_engine(const struct db *);

/* Run a statement; rows it returns are ignored.  *changes (may be NULL)
 * is the number of rows it inserted, updated or deleted. */
enum store_rc db_exec(struct db *, long long *changes, const char *sql,
    const char *fmt, ...);
/* The same with the values in ap (left unread: it may be used again). */
enum store_rc db_vexec(struct db *, long long *changes, const char *sql,
    const char *fmt, va_list ap);
/* Run a query; read its rows with db_next and the column readers, then
 * db_done.  On failure *stmt is NULL. */
enum store_rc db_query(struct db *, struct db_stmt **stmt, const char *sql,
    const char *fmt, ...);
/* Move to the next row: STORE_OK with a row, STORE_NOT_FOUND at the end,
 * or an error. */
enum store_rc db_next(struct db_stmt *);
/* Release a statement (NULL is fine). */
void db_done(struct db_stmt *);

/* Columns of the current row, counted from 0. */
bool db_null(struct db_stmt *, int col);
long long db_int(struct db_stmt *, int col);
/* Text, or NULL for SQL NULL; valid until the next row. */
const char *db_text(struct db_stmt *, int col);
/* A malloc'd copy of the text, "" for NULL. */
char *db_strdup(struct db_stmt *, int col);
/* A blob and its length (NULL, 0 for SQL NULL); valid until the next
 * row. */
const void *db_blob(struct db_stmt *, int col, size_t *len);

/* One query's single row, single integer: STORE_NOT_FOUND without a
 * row. */
enum store_rc db_scalar(struct db *, long long *out, const char *sql,
    const char *fmt, ...);

/* Transactions.  db_begin starts a write transaction that holds until
 * commit as if it ran alone (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * SERIALIZABLE).  STORE_RETRY from any call inside means the engine
 * gave up on it (a serialization failure or deadlock): roll back and run
 * the whole transaction again; store_tx does that. */
enum store_rc db_begin(struct db *);
enum store_rc db_commit(struct db *);
void db_rollback(struct db *);

/* Several statements in one string, no values (schema migrations). */
enum store_rc db_script(struct db *, const char *sql);

/* The engine's last error message, for logs. */
const char *db_errmsg(struct db *);

/* SQLite only: madoguchid backup and restore (store_backup.c).  For
 * PostgreSQL, pg_dump and pg_restore do this. */
/* Copy db's whole database as of one instant into a new file at path:
 * one file (no WAL), checked with quick_check. */
enum store_rc db_sqlite_backup(struct db *, const char *path,
    char **error);
/* Is the file at path a sound SQLite database?  false with *error. */
bool db_sqlite_sound_file(const char *path, char **error);
/* Copy the database file src into a new file dest, in WAL mode. */
enum store_rc db_sqlite_copy_file(const char *src, const char *dest,
    char **error);

#endif
