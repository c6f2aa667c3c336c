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

/* Read every row without a key, oldest first (the migration gave the
 * key to the oldest, so the next oldest is next in line). */
static enum store_rc
store_userkey_rows(sqlite3 *db, struct userkey_row **rows, size_t *n)
{
	sqlite3_stmt *list;
	enum store_rc rc;
	size_t cap = 0;
	int step;

	*rows = NULL;
	*n = 0;
	if ((rc = store_prepare(db, "SELECT id, user_id FROM users "
	    "WHERE user_key IS NULL ORDER BY id", &list)) != STORE_OK)
		return rc;
	while ((step = sqlite3_step(list)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*rows = xreallocarray(*rows, cap, sizeof **rows);
		}
		(*rows)[*n].ref = sqlite3_column_int64(list, 0);
		(*rows)[*n].user_id = store_column_text(list, 1);
		(*n)++;
	}
	sqlite3_finalize(list);
	return step == SQLITE_DONE ? STORE_OK : store_rc_of(db, step);
}

/* Give each row without a key its key where no other row holds it.
 * One transaction; nothing to do (one read) in the usual case. */
enum store_rc
store_user_rekey(sqlite3 *db)
{
	struct userkey_row *rows = NULL;
	sqlite3_stmt *stmt;
	enum store_rc rc;
	size_t n = 0;
	bool any;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT EXISTS (SELECT 1 FROM users "
	    "WHERE user_key IS NULL)", &stmt)) != STORE_OK)
		return rc;
	rc = store_rc_of(db, sqlite3_step(stmt));
	any = sqlite3_column_int(stmt, 0) != 0;
	sqlite3_finalize(stmt);
	if (rc != STORE_OK || !any)
		return rc;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	rc = store_userkey_rows(db, &rows, &n);
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		if ((rc = store_prepare(db, "UPDATE users SET user_key = ?2 "
		    "WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM users "
		    "WHERE user_key = ?2)", &stmt)) != STORE_OK)
			break;
		sqlite3_bind_int64(stmt, 1, rows[i].ref);
		sqlite3_bind_text(stmt, 2, userkey_of(rows[i].user_id), -1,
		    free);
		rc = store_rc_of(db, sqlite3_step(stmt));
		sqlite3_finalize(stmt);
	}
	for (size_t i = 0; i < n; i++)
		free(rows[i].user_id);
	free(rows);
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	return store_commit(db);
}

/* Call fn for each row without a key, with the ID of the row that
 * holds its key (NULL if none does), oldest first. */
enum store_rc
store_user_collisions(struct store *st,
    void (*fn)(void *ctx, const char *user_id, const char *holder),
    void *ctx)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *list, *holder;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT user_id FROM users "
	    "WHERE user_key IS NULL ORDER BY id", &list)) != STORE_OK)
		return rc;
	while ((step = sqlite3_step(list)) == SQLITE_ROW) {
		char *id = store_column_text(list, 0), *other = NULL;

		if ((rc = store_prepare(db, "SELECT user_id FROM users "
		    "WHERE user_key = ?1", &holder)) != STORE_OK) {
			free(id);
			break;
		}
		sqlite3_bind_text(holder, 1, userkey_of(id), -1, free);
		if (sqlite3_step(holder) == SQLITE_ROW)
			other = store_column_text(holder, 0);
		sqlite3_finalize(holder);
		fn(ctx, id, other);
		free(id);
		free(other);
	}
	if (rc == STORE_OK && step != SQLITE_DONE)
		rc = store_rc_of(db, step);
	sqlite3_finalize(list);
	return rc;
}
