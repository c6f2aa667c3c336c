/* The driver interface: values from a format string, then the engine. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "log.h"
#include "xmalloc.h"

/* Is target a libpq connection string rather than a file?  A URI, or
 * key=value words ("host=/run/postgresql dbname=accounts"): a keyword
 * of letters and '_' then '='.  A SQLite path of that shape is written
 * ./name. */
bool
db_is_postgres(const char *target)
{
	const char *p = target;

	if (strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0)
		return true;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return p != target && *p == '=';
}

/* Open either engine. */
struct db *
db_open(const char *target, char **error)
{
	*error = NULL;
	if (db_is_postgres(target))
		return db_pg_open(target, error);
	return db_sqlite_open(target, error);
}

/* Close. */
void
db_close(struct db *db)
{
	if (db != NULL)
		db->ops->close(db);
}

enum db_engine
db_engine(const struct db *db)
{
	return db->engine;
}

/* Read the values fmt describes from ap; -1 on a bad format (a
 * programming error, logged loudly). */
static int
db_values(const char *fmt, va_list ap, struct db_value *v)
{
	int n = 0;

	for (const char *f = fmt != NULL ? fmt : ""; *f != '\0'; f++) {
		if (n == DB_MAX_VALUES) {
			log_warn("database: more than %d values", DB_MAX_VALUES);
			return -1;
		}
		memset(&v[n], 0, sizeof v[n]);
		v[n].kind = *f;
		switch (*f) {
		case 'i':
			v[n].i = va_arg(ap, long long);
			break;
		case 't':
			/* NULL stays a text value: PostgreSQL must still
			 * know its type. */
			v[n].t = va_arg(ap, const char *);
			break;
		case 'b':
			v[n].b = va_arg(ap, const void *);
			v[n].len = va_arg(ap, size_t);
			break;
		case 'n':
			break;
		default:
			log_warn("database: bad value format '%c'", *f);
			return -1;
		}
		n++;
	}
	return n;
}

/* Run a statement, ignoring rows. */
enum store_rc
db_exec(struct db *db, long long *changes, const char *sql,
    const char *fmt, ...)
{
	enum store_rc rc;
	va_list ap;

	va_start(ap, fmt);
	rc = db_vexec(db, changes, sql, fmt, ap);
	va_end(ap);
	return rc;
}

/* db_exec with its values in a va_list. */
enum store_rc
db_vexec(struct db *db, long long *changes, const char *sql,
    const char *fmt, va_list ap)
{
	struct db_value v[DB_MAX_VALUES];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = db_values(fmt, copy, v);
	va_end(copy);
	if (changes != NULL)
		*changes = 0;
	if (n < 0)
		return STORE_ERROR;
	return db->ops->run(db, sql, v, n, NULL, changes);
}

/* Run a query for its rows. */
enum store_rc
db_query(struct db *db, struct db_stmt **stmt, const char *sql,
    const char *fmt, ...)
{
	struct db_value v[DB_MAX_VALUES];
	enum store_rc rc;
	va_list ap;
	int n;

	*stmt = NULL;
	va_start(ap, fmt);
	n = db_values(fmt, ap, v);
	va_end(ap);
	if (n < 0)
		return STORE_ERROR;
	rc = db->ops->run(db, sql, v, n, stmt, NULL);
	if (rc != STORE_OK)
		*stmt = NULL;
	return rc;
}

/* One integer from the first row. */
enum store_rc
db_scalar(struct db *db, long long *out, const char *sql,
    const char *fmt, ...)
{
	struct db_value v[DB_MAX_VALUES];
	struct db_stmt *stmt = NULL;
	enum store_rc rc;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = db_values(fmt, ap, v);
	va_end(ap);
	if (n < 0)
		return STORE_ERROR;
	if ((rc = db->ops->run(db, sql, v, n, &stmt, NULL)) != STORE_OK)
		return rc;
	if ((rc = db_next(stmt)) == STORE_OK) {
		enum store_rc end;

		*out = db_int(stmt, 0);
		/* To the end: SQLite finishes an INSERT ... RETURNING, and
		 * reports its faults, only there. */
		while ((end = db_next(stmt)) == STORE_OK)
			;
		if (end != STORE_NOT_FOUND)
			rc = end;
	}
	db_done(stmt);
	return rc;
}

enum store_rc
db_next(struct db_stmt *stmt)
{
	return stmt->db->ops->next(stmt);
}

void
db_done(struct db_stmt *stmt)
{
	if (stmt != NULL)
		stmt->db->ops->done(stmt);
}

bool
db_null(struct db_stmt *stmt, int col)
{
	return stmt->db->ops->is_null(stmt, col);
}

long long
db_int(struct db_stmt *stmt, int col)
{
	return stmt->db->ops->get_int(stmt, col);
}

const char *
db_text(struct db_stmt *stmt, int col)
{
	return stmt->db->ops->get_text(stmt, col);
}

/* A copy of a text column, "" for NULL. */
char *
db_strdup(struct db_stmt *stmt, int col)
{
	const char *t = db_text(stmt, col);

	return xstrdup(t != NULL ? t : "");
}

const void *
db_blob(struct db_stmt *stmt, int col, size_t *len)
{
	return stmt->db->ops->get_blob(stmt, col, len);
}

enum store_rc
db_begin(struct db *db)
{
	return db->ops->begin(db);
}

enum store_rc
db_commit(struct db *db)
{
	return db->ops->commit(db);
}

void
db_rollback(struct db *db)
{
	db->ops->rollback(db);
}

enum store_rc
db_script(struct db *db, const char *sql)
{
	return db->ops->script(db, sql);
}

const char *
db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}
