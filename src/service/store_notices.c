/* Notices for the home screen (SPEC P1, 003 §1.5): added by the
 * notice-add command, read by GET /api/v1/notices. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_content.h"
#include "store_int.h"
#include "xmalloc.h"

/* Release a notice's strings. */
void
store_notice_clear(struct store_notice *n)
{
	free(n->title);
	free(n->body);
	memset(n, 0, sizeof *n);
}

/* Add a notice. */
enum store_rc
store_notice_add(struct store *st, long long published_at,
    const char *title, const char *body, long long *id)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "INSERT INTO notices (published_at,"
	    " title, body) VALUES (?1, ?2, ?3)", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, published_at);
	sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, body, -1, SQLITE_STATIC);
	step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_rc_of(db, step);
	*id = sqlite3_last_insert_rowid(db);
	return STORE_OK;
}

/* How many notices there are. */
enum store_rc
store_notice_count(struct store *st, long long *total)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT count(*) FROM notices",
	    &stmt)) != STORE_OK)
		return rc;
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		*total = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW ? STORE_OK : store_rc_of(db, step);
}

/* A page of notices, newest first; ties by number so pages never
 * overlap. */
enum store_rc
store_notice_page(struct store *st, long long offset, long long limit,
    void (*fn)(void *ctx, const struct store_notice *), void *ctx)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT id, published_at, title"
	    " FROM notices ORDER BY published_at DESC, id DESC"
	    " LIMIT ?1 OFFSET ?2", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, limit);
	sqlite3_bind_int64(stmt, 2, offset);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_notice n;

		memset(&n, 0, sizeof n);
		n.id = sqlite3_column_int64(stmt, 0);
		n.published_at = sqlite3_column_int64(stmt, 1);
		n.title = store_column_text(stmt, 2);
		fn(ctx, &n);
		store_notice_clear(&n);
	}
	rc = step == SQLITE_DONE ? STORE_OK : store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* One notice with its body. */
enum store_rc
store_notice_get(struct store *st, long long id, struct store_notice *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	memset(out, 0, sizeof *out);
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT id, published_at, title, body"
	    " FROM notices WHERE id = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->published_at = sqlite3_column_int64(stmt, 1);
		out->title = store_column_text(stmt, 2);
		out->body = store_column_text(stmt, 3);
		rc = STORE_OK;
	} else
		rc = step == SQLITE_DONE ? STORE_NOT_FOUND :
		    store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}
