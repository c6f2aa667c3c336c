/* Between db.c and its two engines (db_sqlite.c, db_pg.c) only. */
#ifndef MADOGUCHID_DB_INT_H
#define MADOGUCHID_DB_INT_H

#include "db.h"

/* Most values any statement of the store binds. */
#define DB_MAX_VALUES 24

/* One bound value. */
struct db_value {
	char kind;		/* 'i', 't', 'b' or 'n' (db.h) */
	long long i;
	const char *t;
	const void *b;
	size_t len;
};

/* What an engine provides. */
struct db_ops {
	/* Run sql with values; with stmt, keep its rows for db_next. */
	enum store_rc (*run)(struct db *, const char *sql,
	    const struct db_value *, int nvalues, struct db_stmt **stmt,
	    long long *changes);
	enum store_rc (*next)(struct db_stmt *);
	void (*done)(struct db_stmt *);
	bool (*is_null)(struct db_stmt *, int col);
	long long (*get_int)(struct db_stmt *, int col);
	const char *(*get_text)(struct db_stmt *, int col);
	const void *(*get_blob)(struct db_stmt *, int col, size_t *len);
	enum store_rc (*begin)(struct db *);
	enum store_rc (*commit)(struct db *);
	void (*rollback)(struct db *);
	enum store_rc (*script)(struct db *, const char *sql);
	const char *(*errmsg)(struct db *);
	void (*close)(struct db *);
};

/* Every connection starts with these; engines extend them. */
struct db {
	const struct db_ops *ops;
	enum db_engine engine;
};

struct db_stmt {
	struct db *db;
};

/* The engines' openers. */
struct db *db_sqlite_open(const char *path, char **error);
struct db *db_pg_open(const char *conninfo, char **error);

#endif
