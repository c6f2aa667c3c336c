/* Users in the store: add, find, list, unlock, count failed log-ins;
 * password, address and detail changes (store_account.h).  Users are
 * found by the case-insensitive key of their ID (userkey.h, v4). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_account_int.h"
#include "userkey.h"
#include "xmalloc.h"

#define USER_COLUMNS \
	"id, user_id, name, email, password_hash, lang, " \
	"password_changed_at, failed_logins, locked_until, last_login, " \
	"created_at, updated_at, kind, details, name_latin, notify_email, " \
	"bulk_user_id, bulk_password_hash"

/* Release a user row's strings, wiping the password hash. */
void
store_user_clear(struct store_user *u)
{
	free(u->user_id);
	free(u->name);
	free(u->email);
	free_secret(&u->password_hash);
	free(u->lang);
	free(u->kind);
	free(u->details);
	free(u->name_latin);
	free(u->notify_email);
	free(u->bulk_user_id);
	if (u->bulk_password_hash != NULL)
		free_secret(&u->bulk_password_hash);
	memset(u, 0, sizeof *u);
}

/* A copy of a text column that may be NULL. */
static char *
store_column_opt(struct db_stmt *row, int col)
{
	return db_null(row, col) ? NULL : db_strdup(row, col);
}

/* Fill a user from a row selected with USER_COLUMNS. */
static void
store_user_from_row(struct db_stmt *row, struct store_user *u)
{
	u->ref = db_int(row, 0);
	u->user_id = db_strdup(row, 1);
	u->name = db_strdup(row, 2);
	u->email = db_strdup(row, 3);
	u->password_hash = db_strdup(row, 4);
	u->lang = db_strdup(row, 5);
	u->password_changed_at = db_int(row, 6);
	u->failed_logins = db_int(row, 7);
	u->locked_until = db_int(row, 8);
	u->last_login = db_null(row, 9) ? -1 : db_int(row, 9);
	u->created_at = db_int(row, 10);
	u->updated_at = db_int(row, 11);
	u->kind = db_strdup(row, 12);
	u->details = db_strdup(row, 13);
	u->name_latin = store_column_opt(row, 14);
	u->notify_email = store_column_opt(row, 15);
	u->bulk_user_id = store_column_opt(row, 16);
	u->bulk_password_hash = store_column_opt(row, 17);
}

/* Insert a user; a taken key is STORE_EXISTS without an error, so that
 * PostgreSQL's transaction goes on (a failed statement would end it). */
enum store_rc
store_user_insert(struct db *db, const struct store_user *u, long long *ref)
{
	char *user_key = userkey_of(u->user_id);
	char *email_key = userkey_of(u->email);
	enum store_rc rc;

	*ref = 0;
	rc = db_scalar(db, ref, "INSERT INTO users (user_id, name, email, "
	    "password_hash, password_changed_at, created_at, updated_at, lang,"
	    " kind, details, name_latin, notify_email, bulk_user_id,"
	    " bulk_password_hash, user_key, email_key)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13, ?14, ?15) ON CONFLICT DO NOTHING RETURNING id",
	    "ttttiittttttttt", u->user_id, u->name, u->email,
	    u->password_hash, u->password_changed_at, u->created_at,
	    u->lang != NULL ? u->lang : "ja", u->kind != NULL ? u->kind : "",
	    u->details != NULL ? u->details : "{}", u->name_latin,
	    u->notify_email, u->bulk_user_id, u->bulk_password_hash, user_key,
	    email_key);
	free(user_key);
	free(email_key);
	return rc == STORE_NOT_FOUND ? STORE_EXISTS : rc;
}

static enum store_rc
store_user_add_tx(struct db *db, void *arg)
{
	long long ref;

	return store_user_insert(db, arg, &ref);
}

/* Add a user. */
enum store_rc
store_user_add(struct store *st, const struct store_user *u)
{
	return store_tx(st, store_user_add_tx, (void *)u);
}

/* The user a typed ID means, with ?1 the ID as typed and ?2 its key:
 * the row of exactly that spelling first (one that v4 left without a
 * key is found only so), else the row with that key. */
#define USER_BY_ID "(user_id = ?1 OR user_key = ?2) " \
	"ORDER BY CASE WHEN user_id = ?1 THEN 0 ELSE 1 END LIMIT 1"

/* The first row of a query of USER_COLUMNS into out. */
static enum store_rc
store_user_one(struct db_stmt *row, struct store_user *out)
{
	enum store_rc rc;

	if ((rc = db_next(row)) == STORE_OK)
		store_user_from_row(row, out);
	db_done(row);
	return rc;
}

/* Look a user up by user ID, whatever its case. */
enum store_rc
store_user_find(struct store *st, const char *user_id,
    struct store_user *out)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;
	char *key;

	memset(out, 0, sizeof *out);
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	key = userkey_of(user_id);
	rc = db_query(db, &row, "SELECT " USER_COLUMNS " FROM users WHERE "
	    USER_BY_ID, "tt", user_id, key);
	free(key);
	return rc == STORE_OK ? store_user_one(row, out) : rc;
}

/* Lift a lockout and clear the failure count. */
enum store_rc
store_user_unlock(struct store *st, const char *user_id, long long now)
{
	struct store_user u;
	long long changes;
	enum store_rc rc;

	if ((rc = store_user_find(st, user_id, &u)) != STORE_OK)
		return rc;
	rc = store_exec(st, &changes, "UPDATE users SET failed_logins = 0, "
	    "locked_until = 0, updated_at = ?2 WHERE id = ?1", "ii", u.ref,
	    now);
	store_user_clear(&u);
	return rc == STORE_OK && changes == 0 ? STORE_NOT_FOUND : rc;
}

/* Delete the user of exactly this ID, with its sessions, codes and
 * receipts (ON DELETE CASCADE). */
enum store_rc
store_user_delete(struct store *st, const char *user_id)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "DELETE FROM users WHERE user_id = ?1",
	    "t", user_id);
	if (rc == STORE_OK && changes == 0)
		return STORE_NOT_FOUND;
	/* The row it collided with (v4) may take the key now; if that
	 * fails, the next open gives it. */
	if (rc == STORE_OK)
		(void)store_user_rekey(st);
	return rc;
}

/* A correct password that cannot log in: clear the failure count. */
enum store_rc
store_login_reset(struct store *st, long long ref)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "UPDATE users SET failed_logins = 0 "
	    "WHERE id = ?1", "i", ref);
	return rc == STORE_OK && changes == 0 ? STORE_NOT_FOUND : rc;
}

/* A failed log-in to count. */
struct login_failed {
	long long ref;
	long long now;
	long max_failures;
	long duration;
	long long *locked_until;
};

static enum store_rc
store_login_failed_tx(struct db *db, void *arg)
{
	const struct login_failed *a = arg;
	long long failures;
	enum store_rc rc;

	*a->locked_until = 0;
	/* Count and read back in one statement. */
	if ((rc = db_scalar(db, &failures, "UPDATE users SET failed_logins = "
	    "failed_logins + 1 WHERE id = ?1 RETURNING failed_logins", "i",
	    a->ref)) != STORE_OK)
		return rc;
	if (failures < a->max_failures)
		return STORE_OK;
	if ((rc = db_exec(db, NULL, "UPDATE users SET failed_logins = 0, "
	    "locked_until = ?2 WHERE id = ?1", "ii", a->ref,
	    a->now + a->duration)) != STORE_OK)
		return rc;
	*a->locked_until = a->now + a->duration;
	return STORE_OK;
}

/* Count a failed log-in and lock at the limit (003 §2.2: 5 failures in
 * a row lock the account for 24 hours). */
enum store_rc
store_login_failed(struct store *st, long long ref, long long now,
    long max_failures, long duration, long long *locked_until)
{
	struct login_failed a = { ref, now, max_failures, duration,
	    locked_until };
	enum store_rc rc;

	if ((rc = store_tx(st, store_login_failed_tx, &a)) != STORE_OK)
		*locked_until = 0;
	return rc;
}

/* Call fn for each user, in user ID order. */
enum store_rc
store_user_list(struct store *st,
    void (*fn)(void *ctx, const struct store_user *), void *ctx)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT " USER_COLUMNS
	    " FROM users ORDER BY user_id", NULL)) != STORE_OK)
		return rc;
	while ((rc = db_next(row)) == STORE_OK) {
		struct store_user u;

		store_user_from_row(row, &u);
		fn(ctx, &u);
		store_user_clear(&u);
	}
	db_done(row);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* A user by row (the session's user_ref). */
enum store_rc
store_user_get(struct store *st, long long ref, struct store_user *out)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT " USER_COLUMNS " FROM users "
	    "WHERE id = ?1", "i", ref)) != STORE_OK)
		return rc;
	return store_user_one(row, out);
}

/* An oss user by bulk-user ID (002 §4). */
enum store_rc
store_user_find_bulk(struct store *st, const char *bulk_user_id,
    struct store_user *out)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT " USER_COLUMNS " FROM users "
	    "WHERE bulk_user_id = ?1", "t", bulk_user_id)) != STORE_OK)
		return rc;
	return store_user_one(row, out);
}

static enum store_rc
store_password_change_tx(struct db *db, void *arg)
{
	const struct store_password_change *pc = arg;
	long long changes;
	enum store_rc rc;

	if (pc->code_id > 0 && (rc = store_code_spend(db, pc->code_id,
	    pc->code, pc->now)) != STORE_OK)
		return rc;
	/* 003 §2.2: a new password lifts the lockout; 002 §2: the 60 days
	 * of the payment password start again. */
	if ((rc = db_exec(db, &changes, pc->bulk ?
	    "UPDATE users SET bulk_password_hash = ?2, updated_at = ?3 "
	    "WHERE id = ?1" :
	    "UPDATE users SET password_hash = ?2, password_changed_at = ?3, "
	    "updated_at = ?3, failed_logins = 0, locked_until = 0 "
	    "WHERE id = ?1", "iti", pc->user_ref, pc->hash, pc->now)) !=
	    STORE_OK)
		return rc;
	if (changes == 0)
		return STORE_NOT_FOUND;
	if (!pc->bulk && (rc = store_account_end_sessions(db, pc->user_ref,
	    pc->keep_session)) != STORE_OK)
		return rc;
	if (pc->mail != NULL)
		return store_account_mails(db, pc->mail, 1, pc->now);
	return STORE_OK;
}

/* Set a password, end sessions, spend the code, queue the mail. */
enum store_rc
store_password_change(struct store *st,
    const struct store_password_change *pc)
{
	return store_tx(st, store_password_change_tx, (void *)pc);
}

/* M3's change. */
struct email_change {
	long long ref;
	long long code_id;
	const char *code;
	const char *new_email;
	bool address_is_user_id;
	long long now;
	const struct store_mail *mails;
	size_t nmails;
};

static enum store_rc
store_email_change_tx(struct db *db, void *arg)
{
	const struct email_change *a = arg;
	enum store_rc rc;
	char *key;

	if ((rc = store_code_spend(db, a->code_id, a->code, a->now)) !=
	    STORE_OK)
		return rc;
	key = userkey_of(a->new_email);
	rc = db_exec(db, NULL, a->address_is_user_id ?
	    "UPDATE users SET email = ?2, user_id = ?2, email_key = ?4, "
	    "user_key = ?4, updated_at = ?3 WHERE id = ?1" :
	    "UPDATE users SET email = ?2, email_key = ?4, updated_at = ?3 "
	    "WHERE id = ?1", "itit", a->ref, a->new_email, a->now, key);
	free(key);
	if (rc != STORE_OK)
		return rc;
	return store_account_mails(db, a->mails, a->nmails, a->now);
}

/* M3: a verified new address (and, in lgpos, the user ID with it). */
enum store_rc
store_email_change(struct store *st, long long ref, long long code_id,
    const char *code, const char *new_email, bool address_is_user_id,
    long long now, const struct store_mail *mails, size_t nmails)
{
	struct email_change a = { ref, code_id, code, new_email,
	    address_is_user_id, now, mails, nmails };

	return store_tx(st, store_email_change_tx, &a);
}

/* M2, M5's change and its mail. */
struct details_change {
	const struct store_details_change *dc;
	const struct store_mail *mail;
};

static enum store_rc
store_details_change_tx(struct db *db, void *arg)
{
	const struct details_change *a = arg;
	const struct store_details_change *dc = a->dc;
	char *key = dc->email != NULL ? userkey_of(dc->email) : NULL;
	enum store_rc rc;

	/* COALESCE keeps a column given as NULL; notify_email "" clears
	 * it (002 §3: the notification address is optional). */
	rc = db_exec(db, NULL, "UPDATE users SET "
	    "name = COALESCE(?2, name), kind = COALESCE(?3, kind), "
	    "email = COALESCE(?4, email), "
	    "email_key = COALESCE(?8, email_key), "
	    "notify_email = CASE WHEN ?5 IS NULL THEN notify_email "
	    "WHEN ?5 = '' THEN NULL ELSE ?5 END, "
	    "details = COALESCE(?6, details), updated_at = ?7 WHERE id = ?1",
	    "itttttit", dc->ref, dc->name, dc->kind, dc->email,
	    dc->notify_email, dc->details, dc->now, key);
	free(key);
	if (rc != STORE_OK || a->mail == NULL)
		return rc;
	return store_account_mails(db, a->mail, 1, dc->now);
}

/* M2, M5: new details and the columns that go with them. */
enum store_rc
store_details_change(struct store *st, const struct store_details_change *dc,
    const struct store_mail *mail)
{
	struct details_change a = { dc, mail };

	return store_tx(st, store_details_change_tx, &a);
}

/* A rehash at log-in: the same password at today's cost.  The password
 * did not change, so neither does password_changed_at. */
enum store_rc
store_user_rehash(struct store *st, long long ref, const char *old_hash,
    const char *new_hash)
{
	long long changes;
	enum store_rc rc;

	rc = store_exec(st, &changes, "UPDATE users SET password_hash = ?3"
	    " WHERE id = ?1 AND password_hash = ?2", "itt", ref, old_hash,
	    new_hash);
	return rc == STORE_OK && changes == 0 ? STORE_NOT_FOUND : rc;
}
