/* The PostgreSQL engine of the driver (libpq), for several instances on
 * one database.  Write transactions are SERIALIZABLE, so that the store's
 * read-then-write steps mean what they mean under SQLite's single
 * writer; what PostgreSQL gives up on (40001, 40P01) comes back as
 * STORE_RETRY for store_tx to run again.  A connection lost (a restart,
 * a failover) is reopened at the next use; until it can be, callers get
 * STORE_BUSY, which clients see as 503 service_busy. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_int.h"
#include "log.h"
#include "xmalloc.h"

/* PostgreSQL's type OIDs (catalog/pg_type.h, not a public header). */
#define DB_PG_BOOL 16
#define DB_PG_BYTEA 17
#define DB_PG_INT8 20
#define DB_PG_TEXT 25

struct db_pg {
	struct db base;
	PGconn *conn;
	bool lost_logged;
};

struct db_pg_stmt {
	struct db_stmt base;
	PGresult *res;
	int row;		/* current row, -1 before the first */
	int rows;
	unsigned char **blobs;	/* unescaped bytea of the current row */
	size_t *lens;		/* and their lengths */
	int ncols;
};

static PGconn *
db_pg_conn(struct db *db)
{
	return ((struct db_pg *)db)->conn;
}

/* Notices (e.g. "relation already exists, skipping") are not faults. */
static void
db_pg_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The settings of a new (or reopened) connection. */
static void
db_pg_session(PGconn *conn)
{
	PQsetNoticeProcessor(conn, db_pg_notice, NULL);
	PQclear(PQexec(conn, "SET client_encoding = 'UTF8'"));
	/* A sequential scan takes a predicate lock on the whole table, so
	 * that a serializable transaction which read a small table that
	 * way conflicts with every write to it; PostgreSQL's manual
	 * (13.4.1) advises steering the planner to the indexes, which
	 * every query of the store has. */
	PQclear(PQexec(conn, "SET enable_seqscan = off"));
}

/* Reopen a connection that was lost; false while that fails. */
static bool
db_pg_alive(struct db_pg *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return true;
	PQreset(db->conn);
	if (PQstatus(db->conn) == CONNECTION_OK) {
		log_info("database: connection restored");
		db->lost_logged = false;
		db_pg_session(db->conn);
		return true;
	}
	if (!db->lost_logged) {
		log_warn("database: %s", PQerrorMessage(db->conn));
		db->lost_logged = true;
	}
	return false;
}

/* Map a failed result: by SQLSTATE class where it tells. */
static enum store_rc
db_pg_rc(struct db_pg *db, const PGresult *res)
{
	const char *state = res != NULL ?
	    PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("database: connection lost: %s",
		    PQerrorMessage(db->conn));
		return STORE_BUSY;
	}
	if (state == NULL) {
		log_warn("database: %s", PQerrorMessage(db->conn));
		return STORE_ERROR;
	}
	if (strncmp(state, "23", 2) == 0)	/* integrity constraint */
		return STORE_EXISTS;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return STORE_RETRY;
	if (strcmp(state, "53100") == 0) {	/* disk full */
		log_warn("database: %s", PQresultErrorMessage(res));
		return STORE_FULL;
	}
	/* Connection exceptions, shutting down, cannot connect now, too
	 * many connections: the database is away, not broken. */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
	    strcmp(state, "53300") == 0) {
		log_warn("database: %s", PQresultErrorMessage(res));
		return STORE_BUSY;
	}
	log_warn("database: %s", PQresultErrorMessage(res));
	return STORE_ERROR;
}

/* sql with ?N (and bare ?) written as $N; quoted text left alone. */
static char *
db_pg_sql(const char *sql)
{
	size_t len = strlen(sql);
	char *out = xmalloc(len * 2 + 1), *o = out;
	int next = 1;
	char quote = 0;

	for (const char *p = sql; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
		} else if (*p == '?') {
			*o++ = '$';
			if (p[1] >= '0' && p[1] <= '9') {
				while (p[1] >= '0' && p[1] <= '9')
					*o++ = *++p;
			} else
				o += sprintf(o, "%d", next++);
		} else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* Run a statement with its values in one round trip (parse, bind and
 * execute of the extended protocol: the values never touch the SQL). */
static enum store_rc
db_pg_run(struct db *dbase, const char *sql, const struct db_value *v,
    int n, struct db_stmt **stmt, long long *changes)
{
	struct db_pg *db = (struct db_pg *)dbase;
	Oid types[DB_MAX_VALUES];
	const char *values[DB_MAX_VALUES];
	int lengths[DB_MAX_VALUES], formats[DB_MAX_VALUES];
	char ints[DB_MAX_VALUES][24];
	struct db_pg_stmt *s;
	enum store_rc rc;
	PGresult *res;
	char *pgsql;

	if (!db_pg_alive(db))
		return STORE_BUSY;
	for (int i = 0; i < n; i++) {
		types[i] = 0;	/* unknown: PostgreSQL infers it */
		lengths[i] = 0;
		formats[i] = 0;
		switch (v[i].kind) {
		case 'i':
			types[i] = DB_PG_INT8;
			snprintf(ints[i], sizeof ints[i], "%lld", v[i].i);
			values[i] = ints[i];
			break;
		case 't':
			/* Typed, so that a NULL or a value compared only
			 * with another parameter still has a type. */
			types[i] = DB_PG_TEXT;
			values[i] = v[i].t;
			break;
		case 'b':
			types[i] = DB_PG_BYTEA;
			values[i] = v[i].b;
			lengths[i] = (int)v[i].len;
			formats[i] = 1;
			break;
		default:
			values[i] = NULL;
			break;
		}
	}
	pgsql = db_pg_sql(sql);
	res = PQexecParams(db->conn, pgsql, n, types, values, lengths, formats,
	    0);
	free(pgsql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = db_pg_rc(db, res);
		PQclear(res);
		return rc;
	}
	if (stmt == NULL) {
		if (changes != NULL)
			*changes = strtoll(PQcmdTuples(res), NULL, 10);
		PQclear(res);
		return STORE_OK;
	}
	s = xcalloc(1, sizeof *s);
	s->base.db = dbase;
	s->res = res;
	s->row = -1;
	s->rows = PQntuples(res);
	s->ncols = PQnfields(res);
	s->blobs = xcalloc((size_t)s->ncols + 1, sizeof *s->blobs);
	s->lens = xcalloc((size_t)s->ncols + 1, sizeof *s->lens);
	*stmt = &s->base;
	return STORE_OK;
}

/* Free the unescaped blobs of the current row. */
static void
db_pg_blobs_free(struct db_pg_stmt *s)
{
	for (int c = 0; c < s->ncols; c++) {
		if (s->blobs[c] != NULL) {
			PQfreemem(s->blobs[c]);
			s->blobs[c] = NULL;
		}
	}
}

static enum store_rc
db_pg_next(struct db_stmt *stmt)
{
	struct db_pg_stmt *s = (struct db_pg_stmt *)stmt;

	db_pg_blobs_free(s);
	if (s->row + 1 >= s->rows) {
		s->row = s->rows;
		return STORE_NOT_FOUND;
	}
	s->row++;
	return STORE_OK;
}

static void
db_pg_done(struct db_stmt *stmt)
{
	struct db_pg_stmt *s = (struct db_pg_stmt *)stmt;

	db_pg_blobs_free(s);
	free(s->blobs);
	free(s->lens);
	PQclear(s->res);
	free(s);
}

static bool
db_pg_is_null(struct db_stmt *stmt, int col)
{
	struct db_pg_stmt *s = (struct db_pg_stmt *)stmt;

	return s->row < 0 || s->row >= s->rows || col >= s->ncols ||
	    PQgetisnull(s->res, s->row, col);
}

static long long
db_pg_get_int(struct db_stmt *stmt, int col)
{
	struct db_pg_stmt *s = (struct db_pg_stmt *)stmt;

	if (db_pg_is_null(stmt, col))
		return 0;
	/* A boolean expression reads as 1 or 0, as in SQLite. */
	if (PQftype(s->res, col) == DB_PG_BOOL)
		return PQgetvalue(s->res, s->row, col)[0] == 't';
	return strtoll(PQgetvalue(s->res, s->row, col), NULL, 10);
}

static const char *
db_pg_get_text(struct db_stmt *stmt, int col)
{
	struct db_pg_stmt *s = (struct db_pg_stmt *)stmt;

	if (db_pg_is_null(stmt, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

/* Results come as text: a bytea column is unescaped once per row. */
static const void *
db_pg_get_blob(struct db_stmt *stmt, int col, size_t *len)
{
	struct db_pg_stmt *s = (struct db_pg_stmt *)stmt;
	const char *text;

	*len = 0;
	if (db_pg_is_null(stmt, col))
		return NULL;
	text = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) != DB_PG_BYTEA) {
		*len = (size_t)PQgetlength(s->res, s->row, col);
		return text;
	}
	if (s->blobs[col] == NULL) {
		s->blobs[col] = PQunescapeBytea((const unsigned char *)text,
		    &s->lens[col]);
		if (s->blobs[col] == NULL)
			return NULL;
	}
	*len = s->lens[col];
	return s->blobs[col];
}

/* A command without values or rows. */
static enum store_rc
db_pg_command(struct db_pg *db, const char *sql)
{
	PGresult *res;
	enum store_rc rc = STORE_OK;

	if (!db_pg_alive(db))
		return STORE_BUSY;
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = db_pg_rc(db, res);
	PQclear(res);
	return rc;
}

static enum store_rc
db_pg_begin(struct db *db)
{
	return db_pg_command((struct db_pg *)db,
	    "BEGIN ISOLATION LEVEL SERIALIZABLE");
}

static void
db_pg_rollback(struct db *dbase)
{
	struct db_pg *db = (struct db_pg *)dbase;

	if (PQstatus(db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		PQclear(PQexec(db->conn, "ROLLBACK"));
}

/* COMMIT may itself fail with a serialization failure. */
static enum store_rc
db_pg_commit(struct db *db)
{
	enum store_rc rc = db_pg_command((struct db_pg *)db, "COMMIT");

	if (rc != STORE_OK)
		db_pg_rollback(db);
	return rc;
}

static enum store_rc
db_pg_script(struct db *db, const char *sql)
{
	return db_pg_command((struct db_pg *)db, sql);
}

static const char *
db_pg_errmsg(struct db *db)
{
	return PQerrorMessage(db_pg_conn(db));
}

static void
db_pg_close(struct db *dbase)
{
	struct db_pg *db = (struct db_pg *)dbase;

	PQfinish(db->conn);
	free(db);
}

static const struct db_ops db_pg_ops = {
	.run = db_pg_run,
	.next = db_pg_next,
	.done = db_pg_done,
	.is_null = db_pg_is_null,
	.get_int = db_pg_get_int,
	.get_text = db_pg_get_text,
	.get_blob = db_pg_get_blob,
	.begin = db_pg_begin,
	.commit = db_pg_commit,
	.rollback = db_pg_rollback,
	.script = db_pg_script,
	.errmsg = db_pg_errmsg,
	.close = db_pg_close,
};

/* Connect. */
struct db *
db_pg_open(const char *conninfo, char **error)
{
	struct db_pg *db;
	PGconn *conn = PQconnectdb(conninfo);

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		char *msg = xstrdup(conn != NULL ? PQerrorMessage(conn) :
		    "out of memory");
		size_t n = strlen(msg);

		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		/* Never the connection string itself: it may hold a
		 * password. */
		xasprintf(error, "PostgreSQL: %s", msg);
		free(msg);
		PQfinish(conn);
		return NULL;
	}
	db_pg_session(conn);
	db = xcalloc(1, sizeof *db);
	db->base.ops = &db_pg_ops;
	db->base.engine = DB_POSTGRES;
	db->conn = conn;
	return &db->base;
}
