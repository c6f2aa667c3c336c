/* Certificate receipts (SPEC M7, 003 §5) and their reminders (003 §1.4):
 * issued by the certificate-issue command, listed and registered through
 * /api/v1/me/receipts, reminded by the mail worker. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store_content.h"
#include "store_int.h"
#include "userkey.h"
#include "xmalloc.h"

/* Reminders queued per transaction; the worker comes back for more a
 * second later, so a long backlog never holds the write lock long. */
#define STORE_REMIND_BATCH 64

/* Release a receipt's strings. */
void
store_receipt_clear(struct store_receipt *r)
{
	free(r->number);
	memset(r, 0, sizeof *r);
}

/* Issue a receipt to a user. */
enum store_rc
store_receipt_issue(struct store *st, const char *user_id,
    const char *number, long long issued_at)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	/* The user ID in any case, its exact spelling first (userkey.h,
	 * store_user_find). */
	if ((rc = store_prepare(db, "INSERT INTO receipts (user_ref, number,"
	    " issued_at) SELECT id, ?2, ?3 FROM users"
	    " WHERE user_id = ?1 OR user_key = ?4"
	    " ORDER BY CASE WHEN user_id = ?1 THEN 0 ELSE 1 END LIMIT 1",
	    &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, user_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, userkey_of(user_id), -1, free);
	sqlite3_bind_text(stmt, 2, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, issued_at);
	step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_rc_of(db, step);
	return sqlite3_changes(db) == 0 ? STORE_NOT_FOUND : STORE_OK;
}

/* How many receipts a user has. */
enum store_rc
store_receipt_count(struct store *st, long long user_ref, long long *total)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT count(*) FROM receipts"
	    " WHERE user_ref = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, user_ref);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		*total = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW ? STORE_OK : store_rc_of(db, step);
}

/* Fill r from (number, issued_at, registered_at). */
static void
store_receipt_row(sqlite3_stmt *stmt, struct store_receipt *r)
{
	r->number = store_column_text(stmt, 0);
	r->issued_at = sqlite3_column_int64(stmt, 1);
	r->registered_at = sqlite3_column_type(stmt, 2) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(stmt, 2);
}

/* A page of a user's receipts, newest first. */
enum store_rc
store_receipt_page(struct store *st, long long user_ref, long long offset,
    long long limit, void (*fn)(void *ctx, const struct store_receipt *),
    void *ctx)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if (db == NULL)
		return STORE_ERROR;
	/* receipts_user covers (user_ref, issued_at). */
	if ((rc = store_prepare(db, "SELECT number, issued_at, registered_at"
	    " FROM receipts WHERE user_ref = ?1"
	    " ORDER BY issued_at DESC, id DESC LIMIT ?2 OFFSET ?3",
	    &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, user_ref);
	sqlite3_bind_int64(stmt, 2, limit);
	sqlite3_bind_int64(stmt, 3, offset);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_receipt r;

		store_receipt_row(stmt, &r);
		fn(ctx, &r);
		store_receipt_clear(&r);
	}
	rc = step == SQLITE_DONE ? STORE_OK : store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* Read the user's receipt with this number inside the open transaction. */
static enum store_rc
store_receipt_find(sqlite3 *db, long long user_ref, const char *number,
    struct store_receipt *out)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	if ((rc = store_prepare(db, "SELECT number, issued_at, registered_at"
	    " FROM receipts WHERE user_ref = ?1 AND number = ?2",
	    &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, user_ref);
	sqlite3_bind_text(stmt, 2, number, -1, SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		store_receipt_row(stmt, out);
		rc = STORE_OK;
	} else
		rc = step == SQLITE_DONE ? STORE_NOT_FOUND :
		    store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* 003 §5 step 4: register receipt; once only. */
enum store_rc
store_receipt_register(struct store *st, long long user_ref,
    const char *number, long long now, struct store_receipt *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	memset(out, 0, sizeof *out);
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_receipt_find(db, user_ref, number, out)) != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	if (out->registered_at >= 0) {
		store_rollback(db);
		return STORE_EXISTS;
	}
	if ((rc = store_prepare(db, "UPDATE receipts SET registered_at = ?3"
	    " WHERE user_ref = ?1 AND number = ?2", &stmt)) != STORE_OK) {
		store_rollback(db);
		store_receipt_clear(out);
		return rc;
	}
	sqlite3_bind_int64(stmt, 1, user_ref);
	sqlite3_bind_text(stmt, 2, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, now);
	step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		rc = store_rc_of(db, step);
		store_rollback(db);
		store_receipt_clear(out);
		return rc;
	}
	if ((rc = store_commit(db)) != STORE_OK) {
		store_receipt_clear(out);
		return rc;
	}
	out->registered_at = now;
	return STORE_OK;
}

/* A reminder to queue, read before anything is written. */
struct store_remind {
	long long id;
	char *email;
	char *lang;
	char *params;
};

/* Read up to STORE_REMIND_BATCH receipts due for a reminder, with the
 * mail each needs; *n is how many. */
static enum store_rc
store_remind_due(sqlite3 *db, long long now, long interval, long period,
    struct store_remind *due, int *n)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step = SQLITE_DONE;

	*n = 0;
	/* 003 §1.4: first 7 days after issue, then every 7 days until 3
	 * months after issue.  Counting from the last reminder (not from
	 * issue) means a clock that jumps several intervals sends one
	 * reminder, not a burst. */
	if ((rc = store_prepare(db, "SELECT r.id, r.number, r.issued_at,"
	    " u.email, u.lang, u.name FROM receipts r"
	    " JOIN users u ON u.id = r.user_ref"
	    " WHERE r.registered_at IS NULL AND u.email <> ''"
	    " AND r.issued_at + ?3 > ?1"
	    " AND ?1 >= coalesce(r.last_reminder_at, r.issued_at) + ?2"
	    " ORDER BY r.id LIMIT ?4", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, interval);
	sqlite3_bind_int64(stmt, 3, period);
	sqlite3_bind_int(stmt, 4, STORE_REMIND_BATCH);
	while (*n < STORE_REMIND_BATCH &&
	    (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_remind *d = &due[(*n)++];
		cJSON *p = cJSON_CreateObject();

		d->id = sqlite3_column_int64(stmt, 0);
		cJSON_AddStringToObject(p, "number",
		    (const char *)sqlite3_column_text(stmt, 1));
		cJSON_AddNumberToObject(p, "issued_at",
		    (double)sqlite3_column_int64(stmt, 2));
		d->email = store_column_text(stmt, 3);
		d->lang = store_column_text(stmt, 4);
		cJSON_AddStringToObject(p, "name",
		    (const char *)sqlite3_column_text(stmt, 5));
		if ((d->params = cJSON_PrintUnformatted(p)) == NULL) {
			fprintf(stderr, "madoguchid: out of memory\n");
			abort();
		}
		cJSON_Delete(p);
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = store_rc_of(db, step);
	sqlite3_finalize(stmt);
	return rc;
}

/* Queue the due reminders and note when, in one transaction. */
enum store_rc
store_receipt_remind(struct store *st, long long now, long interval,
    long period, int *queued)
{
	struct store_remind due[STORE_REMIND_BATCH];
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt = NULL;
	enum store_rc rc;
	int n = 0;

	*queued = 0;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	rc = store_remind_due(db, now, interval, period, due, &n);
	if (rc == STORE_OK && n > 0)
		rc = store_prepare(db, "UPDATE receipts SET last_reminder_at"
		    " = ?2 WHERE id = ?1", &stmt);
	for (int i = 0; i < n && rc == STORE_OK; i++) {
		int step;

		rc = store_mail_queue(db, "receipt_reminder", due[i].email,
		    due[i].lang, due[i].params, now);
		if (rc != STORE_OK)
			break;
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, due[i].id);
		sqlite3_bind_int64(stmt, 2, now);
		if ((step = sqlite3_step(stmt)) != SQLITE_DONE)
			rc = store_rc_of(db, step);
	}
	sqlite3_finalize(stmt);
	for (int i = 0; i < n; i++) {
		free(due[i].email);
		free(due[i].lang);
		free(due[i].params);
	}
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	if ((rc = store_commit(db)) == STORE_OK)
		*queued = n;
	return rc;
}
