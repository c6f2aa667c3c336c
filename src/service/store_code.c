/* One-time codes in the store (codes table, v2): issue, check, spend. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "onetime.h"
#include "store_account_int.h"
#include "xmalloc.h"

/* Release what a check owns. */
void
store_code_check_clear(struct store_code_check *c)
{
	free(c->new_email);
	free(c->lang);
	memset(c, 0, sizeof *c);
	/* Never leave a cleared check reading as a match. */
	c->result = STORE_CODE_EXPIRED;
}

/* Judge a code from its row.  SPEC R4: the tries before the last say how
 * many remain; the one that uses up max_attempts voids the code. */
void
store_code_judge(const char *typed, const void *seal, size_t seal_len,
    long long attempts, long long expires_at, bool spent, long max_attempts,
    long long now, struct store_code_check *out)
{
	out->remaining = 0;
	if (spent || expires_at <= now)
		out->result = STORE_CODE_EXPIRED;
	else if (attempts >= max_attempts)
		out->result = STORE_CODE_VOID;
	else if (typed != NULL && onetime_matches(typed, seal, seal_len))
		out->result = STORE_CODE_MATCH;
	else if (attempts + 1 >= max_attempts)
		out->result = STORE_CODE_VOID;
	else {
		out->result = STORE_CODE_WRONG;
		out->remaining = max_attempts - (long)(attempts + 1);
	}
}

/* Spend a code that still matches and is live. */
enum store_rc
store_code_spend(struct db *db, long long id, const char *typed,
    long long now)
{
	struct db_stmt *row;
	enum store_rc rc;
	bool ok = false;

	if ((rc = db_query(db, &row, "SELECT code_hash FROM codes WHERE "
	    "id = ?1 AND used_at IS NULL AND expires_at > ?2", "ii", id,
	    now)) != STORE_OK)
		return rc;
	if ((rc = db_next(row)) == STORE_OK) {
		size_t len;
		const void *seal = db_blob(row, 0, &len);

		ok = seal != NULL && onetime_matches(typed, seal, len);
	}
	db_done(row);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND)
		return rc;
	if (!ok)
		return STORE_EXPIRED;
	return db_exec(db, NULL, "UPDATE codes SET used_at = ?2 WHERE id = ?1",
	    "ii", id, now);
}

/* A code to issue. */
struct code_issue {
	const char *purpose;
	long long user_ref;
	const unsigned char *seal;
	size_t seal_len;
	const char *new_email;
	const char *lang;
	long long now;
	long long expires_at;
	const struct store_mail *mail;
};

static enum store_rc
store_code_issue_tx(struct db *db, void *arg)
{
	const struct code_issue *a = arg;
	enum store_rc rc;

	/* A newer request replaces an older key (docs/api.md A2); spent
	 * and expired rows of the user go too. */
	if ((rc = db_exec(db, NULL, "DELETE FROM codes WHERE user_ref = ?1 "
	    "AND purpose = ?2", "it", a->user_ref, a->purpose)) != STORE_OK)
		return rc;
	if (a->user_ref <= 0)
		return STORE_OK;
	if ((rc = db_exec(db, NULL, "INSERT INTO codes (purpose, user_ref, "
	    "code_hash, new_email, lang, created_at, expires_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", "tibttii", a->purpose,
	    a->user_ref, a->seal, a->seal_len, a->new_email, a->lang, a->now,
	    a->expires_at)) != STORE_OK)
		return rc;
	if (a->mail != NULL)
		return store_account_mails(db, a->mail, 1, a->now);
	return STORE_OK;
}

/* Issue a code, voiding earlier ones of the purpose, with its mail. */
enum store_rc
store_code_issue(struct store *st, const char *purpose, long long user_ref,
    const unsigned char *seal, size_t seal_len, const char *new_email,
    const char *lang, long long now, long long expires_at,
    const struct store_mail *mail)
{
	struct code_issue a = { purpose, user_ref, seal, seal_len, new_email,
	    lang, now, expires_at, mail };

	return store_tx(st, store_code_issue_tx, &a);
}

/* A typed code to check. */
struct code_check {
	const char *purpose;
	long long user_ref;
	const char *code;
	long max_attempts;
	long long now;
	struct store_code_check *out;
};

static enum store_rc
store_code_check_tx(struct db *db, void *arg)
{
	const struct code_check *a = arg;
	struct store_code_check *out = a->out;
	long long id, attempts;
	struct db_stmt *row;
	enum store_rc rc;
	const void *seal;
	size_t len;

	store_code_check_clear(out);
	if ((rc = db_query(db, &row, "SELECT id, code_hash, attempts, "
	    "expires_at, CASE WHEN used_at IS NULL THEN 0 ELSE 1 END, "
	    "new_email, lang FROM codes WHERE user_ref = ?1 AND purpose = ?2 "
	    "ORDER BY id DESC LIMIT 1", "it", a->user_ref, a->purpose)) !=
	    STORE_OK)
		return rc;
	if ((rc = db_next(row)) != STORE_OK) {
		db_done(row);
		/* None: expired. */
		return rc == STORE_NOT_FOUND ? STORE_OK : rc;
	}
	id = db_int(row, 0);
	attempts = db_int(row, 2);
	seal = db_blob(row, 1, &len);
	store_code_judge(a->code, seal, len, attempts, db_int(row, 3),
	    db_int(row, 4) != 0, a->max_attempts, a->now, out);
	if (out->result == STORE_CODE_MATCH) {
		out->id = id;
		if (!db_null(row, 5))
			out->new_email = db_strdup(row, 5);
		out->lang = db_strdup(row, 6);
	}
	db_done(row);
	if (out->result == STORE_CODE_WRONG ||
	    (out->result == STORE_CODE_VOID && attempts < a->max_attempts))
		return db_exec(db, NULL, "UPDATE codes SET attempts = "
		    "attempts + 1 WHERE id = ?1", "i", id);
	return STORE_OK;
}

/* Check a typed code against the user's live code, counting a miss. */
enum store_rc
store_code_check(struct store *st, const char *purpose, long long user_ref,
    const char *code, long max_attempts, long long now,
    struct store_code_check *out)
{
	struct code_check a = { purpose, user_ref, code, max_attempts, now,
	    out };
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_tx(st, store_code_check_tx, &a)) != STORE_OK)
		store_code_check_clear(out);
	return rc;
}
