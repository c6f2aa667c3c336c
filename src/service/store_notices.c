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

/* A notice to add. */
struct notice_add {
	long long published_at;
	const char *title;
	const char *body;
	long long *id;
};

static enum store_rc
store_notice_add_tx(struct db *db, void *arg)
{
	const struct notice_add *a = arg;

	return db_scalar(db, a->id, "INSERT INTO notices (published_at,"
	    " title, body) VALUES (?1, ?2, ?3) RETURNING id", "itt",
	    a->published_at, a->title, a->body);
}

/* Add a notice. */
enum store_rc
store_notice_add(struct store *st, long long published_at,
    const char *title, const char *body, long long *id)
{
	struct notice_add a = { published_at, title, body, id };
	enum store_rc rc;

	rc = store_tx(st, store_notice_add_tx, &a);
	return rc == STORE_NOT_FOUND ? STORE_ERROR : rc;
}

/* How many notices there are. */
enum store_rc
store_notice_count(struct store *st, long long *total)
{
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	return db_scalar(db, total, "SELECT count(*) FROM notices", NULL);
}

/* A page of notices, newest first; ties by number so pages never
 * overlap. */
enum store_rc
store_notice_page(struct store *st, long long offset, long long limit,
    void (*fn)(void *ctx, const struct store_notice *), void *ctx)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT id, published_at, title"
	    " FROM notices ORDER BY published_at DESC, id DESC"
	    " LIMIT ?1 OFFSET ?2", "ii", limit, offset)) != STORE_OK)
		return rc;
	while ((rc = db_next(row)) == STORE_OK) {
		struct store_notice n;

		memset(&n, 0, sizeof n);
		n.id = db_int(row, 0);
		n.published_at = db_int(row, 1);
		n.title = db_strdup(row, 2);
		fn(ctx, &n);
		store_notice_clear(&n);
	}
	db_done(row);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* One notice with its body. */
enum store_rc
store_notice_get(struct store *st, long long id, struct store_notice *out)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT id, published_at, title, body"
	    " FROM notices WHERE id = ?1", "i", id)) != STORE_OK)
		return rc;
	if ((rc = db_next(row)) == STORE_OK) {
		out->id = db_int(row, 0);
		out->published_at = db_int(row, 1);
		out->title = db_strdup(row, 2);
		out->body = db_strdup(row, 3);
	}
	db_done(row);
	return rc;
}
