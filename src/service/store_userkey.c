/* User rows that differ only in case (made before v4): keys for the
 * ones whose key became free, and the list of the others. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "userkey.h"
#include "xmalloc.h"

/* A row without a key, as read before any is changed. */
struct userkey_row {
	long long ref;
	char *user_id;
};

/* Rows without a key. */
struct userkey_rows {
	struct userkey_row *rows;
	size_t n;
};

/* Forget the rows read. */
static void
store_userkey_free(struct userkey_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].user_id);
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

/* Read every row without a key, oldest first (the migration gave the
 * key to the oldest, so the next oldest is next in line). */
static enum store_rc
store_userkey_rows(struct db *db, struct userkey_rows *r)
{
	struct db_stmt *list;
	enum store_rc rc;
	size_t cap = 0;

	store_userkey_free(r);
	if ((rc = db_query(db, &list, "SELECT id, user_id FROM users "
	    "WHERE user_key IS NULL ORDER BY id", NULL)) != STORE_OK)
		return rc;
	while ((rc = db_next(list)) == STORE_OK) {
		if (r->n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			r->rows = xreallocarray(r->rows, cap, sizeof *r->rows);
		}
		r->rows[r->n].ref = db_int(list, 0);
		r->rows[r->n].user_id = db_strdup(list, 1);
		r->n++;
	}
	db_done(list);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

static enum store_rc
store_user_rekey_tx(struct db *db, void *arg)
{
	struct userkey_rows *r = arg;
	enum store_rc rc;

	rc = store_userkey_rows(db, r);
	for (size_t i = 0; i < r->n && rc == STORE_OK; i++) {
		char *key = userkey_of(r->rows[i].user_id);

		rc = db_exec(db, NULL, "UPDATE users SET user_key = ?2 "
		    "WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM users "
		    "WHERE user_key = ?2)", "it", r->rows[i].ref, key);
		free(key);
	}
	return rc;
}

/* Give each row without a key its key where no other row holds it.
 * One transaction; nothing to do (one read) in the usual case. */
enum store_rc
store_user_rekey(struct store *st)
{
	struct userkey_rows rows = { NULL, 0 };
	struct db *db;
	long long any = 0;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_scalar(db, &any, "SELECT CASE WHEN EXISTS (SELECT 1 "
	    "FROM users WHERE user_key IS NULL) THEN 1 ELSE 0 END", NULL)) !=
	    STORE_OK || any == 0)
		return rc;
	rc = store_tx(st, store_user_rekey_tx, &rows);
	store_userkey_free(&rows);
	return rc;
}

/* Call fn for each row without a key, with the ID of the row that
 * holds its key (NULL if none does), oldest first. */
enum store_rc
store_user_collisions(struct store *st,
    void (*fn)(void *ctx, const char *user_id, const char *holder),
    void *ctx)
{
	struct db_stmt *list, *holder;
	struct db *db;
	enum store_rc rc, hrc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &list, "SELECT user_id FROM users "
	    "WHERE user_key IS NULL ORDER BY id", NULL)) != STORE_OK)
		return rc;
	while ((rc = db_next(list)) == STORE_OK) {
		char *id = db_strdup(list, 0), *key = userkey_of(id);
		char *other = NULL;

		hrc = db_query(db, &holder, "SELECT user_id FROM users "
		    "WHERE user_key = ?1", "t", key);
		free(key);
		if (hrc != STORE_OK) {
			free(id);
			rc = hrc;
			break;
		}
		if (db_next(holder) == STORE_OK)
			other = db_strdup(holder, 0);
		db_done(holder);
		fn(ctx, id, other);
		free(id);
		free(other);
	}
	db_done(list);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}
