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

/* A receipt to issue. */
struct receipt_issue {
	const char *user_id;
	const char *number;
	long long issued_at;
};

static enum store_rc
store_receipt_issue_tx(struct db *db, void *arg)
{
	const struct receipt_issue *a = arg;
	char *key = userkey_of(a->user_id);
	long long changes = 0;
	enum store_rc rc;

	/* The user ID in any case, its exact spelling first (userkey.h,
	 * store_user_find). */
	rc = db_exec(db, &changes, "INSERT INTO receipts (user_ref, number,"
	    " issued_at) SELECT id, ?2, ?3 FROM users"
	    " WHERE user_id = ?1 OR user_key = ?4"
	    " ORDER BY CASE WHEN user_id = ?1 THEN 0 ELSE 1 END LIMIT 1",
	    "ttit", a->user_id, a->number, a->issued_at, key);
	free(key);
	return rc == STORE_OK && changes == 0 ? STORE_NOT_FOUND : rc;
}

/* Issue a receipt to a user. */
enum store_rc
store_receipt_issue(struct store *st, const char *user_id,
    const char *number, long long issued_at)
{
	struct receipt_issue a = { user_id, number, issued_at };

	return store_tx(st, store_receipt_issue_tx, &a);
}

/* How many receipts a user has. */
enum store_rc
store_receipt_count(struct store *st, long long user_ref, long long *total)
{
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	return db_scalar(db, total, "SELECT count(*) FROM receipts"
	    " WHERE user_ref = ?1", "i", user_ref);
}

/* Fill r from (number, issued_at, registered_at). */
static void
store_receipt_row(struct db_stmt *row, struct store_receipt *r)
{
	r->number = db_strdup(row, 0);
	r->issued_at = db_int(row, 1);
	r->registered_at = db_null(row, 2) ? -1 : db_int(row, 2);
}

/* A page of a user's receipts, newest first. */
enum store_rc
store_receipt_page(struct store *st, long long user_ref, long long offset,
    long long limit, void (*fn)(void *ctx, const struct store_receipt *),
    void *ctx)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	/* receipts_user covers (user_ref, issued_at). */
	if ((rc = db_query(db, &row, "SELECT number, issued_at, registered_at"
	    " FROM receipts WHERE user_ref = ?1"
	    " ORDER BY issued_at DESC, id DESC LIMIT ?2 OFFSET ?3", "iii",
	    user_ref, limit, offset)) != STORE_OK)
		return rc;
	while ((rc = db_next(row)) == STORE_OK) {
		struct store_receipt r;

		store_receipt_row(row, &r);
		fn(ctx, &r);
		store_receipt_clear(&r);
	}
	db_done(row);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* A receipt to register. */
struct receipt_register {
	long long user_ref;
	const char *number;
	long long now;
	struct store_receipt *out;
};

static enum store_rc
store_receipt_register_tx(struct db *db, void *arg)
{
	const struct receipt_register *a = arg;
	struct db_stmt *row;
	enum store_rc rc;

	store_receipt_clear(a->out);
	if ((rc = db_query(db, &row, "SELECT number, issued_at, registered_at"
	    " FROM receipts WHERE user_ref = ?1 AND number = ?2", "it",
	    a->user_ref, a->number)) != STORE_OK)
		return rc;
	if ((rc = db_next(row)) == STORE_OK)
		store_receipt_row(row, a->out);
	db_done(row);
	if (rc != STORE_OK)
		return rc;
	if (a->out->registered_at >= 0)
		return STORE_EXISTS;
	if ((rc = db_exec(db, NULL, "UPDATE receipts SET registered_at = ?3"
	    " WHERE user_ref = ?1 AND number = ?2", "iti", a->user_ref,
	    a->number, a->now)) != STORE_OK)
		return rc;
	a->out->registered_at = a->now;
	return STORE_OK;
}

/* 003 §5 step 4: register receipt; once only. */
enum store_rc
store_receipt_register(struct store *st, long long user_ref,
    const char *number, long long now, struct store_receipt *out)
{
	struct receipt_register a = { user_ref, number, now, out };
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	rc = store_tx(st, store_receipt_register_tx, &a);
	/* Registered already: the receipt as it is goes with the answer. */
	if (rc != STORE_OK && rc != STORE_EXISTS)
		store_receipt_clear(out);
	return rc;
}

/* A reminder to queue, read before anything is written. */
struct store_remind {
	long long id;
	char *email;
	char *lang;
	char *params;
};

/* The reminders of one run. */
struct remind_batch {
	long long now;
	long interval;
	long period;
	struct store_remind due[STORE_REMIND_BATCH];
	int n;
};

/* Forget the reminders read. */
static void
store_remind_free(struct remind_batch *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->due[i].email);
		free(b->due[i].lang);
		free(b->due[i].params);
	}
	b->n = 0;
}

/* Read up to STORE_REMIND_BATCH receipts due for a reminder, with the
 * mail each needs. */
static enum store_rc
store_remind_due(struct db *db, struct remind_batch *b)
{
	struct db_stmt *row;
	enum store_rc rc;

	store_remind_free(b);
	/* 003 §1.4: first 7 days after issue, then every 7 days until 3
	 * months after issue.  Counting from the last reminder (not from
	 * issue) means a clock that jumps several intervals sends one
	 * reminder, not a burst. */
	if ((rc = db_query(db, &row, "SELECT r.id, r.number, r.issued_at,"
	    " u.email, u.lang, u.name FROM receipts r"
	    " JOIN users u ON u.id = r.user_ref"
	    " WHERE r.registered_at IS NULL AND u.email <> ''"
	    " AND r.issued_at + ?3 > ?1"
	    " AND ?1 >= COALESCE(r.last_reminder_at, r.issued_at) + ?2"
	    " ORDER BY r.id LIMIT ?4", "iiii", b->now, (long long)b->interval,
	    (long long)b->period, (long long)STORE_REMIND_BATCH)) != STORE_OK)
		return rc;
	while (b->n < STORE_REMIND_BATCH && (rc = db_next(row)) == STORE_OK) {
		struct store_remind *d = &b->due[b->n++];
		cJSON *p = cJSON_CreateObject();

		d->id = db_int(row, 0);
		cJSON_AddStringToObject(p, "number", db_text(row, 1));
		cJSON_AddNumberToObject(p, "issued_at",
		    (double)db_int(row, 2));
		d->email = db_strdup(row, 3);
		d->lang = db_strdup(row, 4);
		cJSON_AddStringToObject(p, "name", db_text(row, 5));
		if ((d->params = cJSON_PrintUnformatted(p)) == NULL) {
			fprintf(stderr, "madoguchid: out of memory\n");
			abort();
		}
		cJSON_Delete(p);
	}
	db_done(row);
	return rc == STORE_NOT_FOUND || rc == STORE_OK ? STORE_OK : rc;
}

static enum store_rc
store_receipt_remind_tx(struct db *db, void *arg)
{
	struct remind_batch *b = arg;
	enum store_rc rc;

	if ((rc = store_remind_due(db, b)) != STORE_OK)
		return rc;
	for (int i = 0; i < b->n && rc == STORE_OK; i++) {
		rc = store_mail_queue(db, "receipt_reminder", b->due[i].email,
		    b->due[i].lang, b->due[i].params, b->now);
		if (rc == STORE_OK)
			rc = db_exec(db, NULL, "UPDATE receipts SET"
			    " last_reminder_at = ?2 WHERE id = ?1", "ii",
			    b->due[i].id, b->now);
	}
	return rc;
}

/* Queue the due reminders and note when, in one transaction. */
enum store_rc
store_receipt_remind(struct store *st, long long now, long interval,
    long period, int *queued)
{
	struct remind_batch *b = xcalloc(1, sizeof *b);
	enum store_rc rc;

	*queued = 0;
	b->now = now;
	b->interval = interval;
	b->period = period;
	if ((rc = store_tx(st, store_receipt_remind_tx, b)) == STORE_OK)
		*queued = b->n;
	store_remind_free(b);
	free(b);
	return rc;
}
