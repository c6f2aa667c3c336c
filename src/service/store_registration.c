/* Registrations in the store (registrations table, v2): R3 start, R4
 * verify, R5 look-up, R7 completion into a user and a session. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store_account_int.h"
#include "userkey.h"
#include "xmalloc.h"

/* The registration columns every step reads. */
#define REG_COLUMNS "id, email, lang, code_hash, attempts, existing, " \
	"verified_at, expires_at"

/* A registration row as read. */
struct reg_row {
	long long id;
	long long attempts;
	long long expires_at;
	bool existing;
	bool verified;
};

/* Release what a registration owns. */
void
store_registration_clear(struct store_registration *reg)
{
	free(reg->email);
	free(reg->lang);
	memset(reg, 0, sizeof *reg);
}

/* Read the registration with this handle hash; *found false if none.
 * With typed != NULL, also judge the code.  reg is released first. */
static enum store_rc
store_registration_read(struct db *db,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], const char *typed,
    long max_attempts, long long now, struct reg_row *row,
    struct store_registration *reg, struct store_code_check *out,
    bool *found)
{
	struct db_stmt *stmt;
	enum store_rc rc;

	*found = false;
	memset(row, 0, sizeof *row);
	store_registration_clear(reg);
	if ((rc = db_query(db, &stmt, "SELECT " REG_COLUMNS " FROM "
	    "registrations WHERE token_hash = ?1", "b", token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES)) != STORE_OK)
		return rc;
	if ((rc = db_next(stmt)) == STORE_OK) {
		*found = true;
		row->id = db_int(stmt, 0);
		reg->email = db_strdup(stmt, 1);
		reg->lang = db_strdup(stmt, 2);
		row->attempts = db_int(stmt, 4);
		row->existing = db_int(stmt, 5) != 0;
		row->verified = !db_null(stmt, 6);
		row->expires_at = reg->expires_at = db_int(stmt, 7);
		/* An address that has an account never verifies: the
		 * typed code is judged as if wrong (no enumeration). */
		if (typed != NULL) {
			size_t len;
			const void *seal = db_blob(stmt, 3, &len);

			store_code_judge(row->existing ? NULL : typed, seal,
			    len, row->attempts, row->expires_at, false,
			    max_attempts, now, out);
		}
	}
	db_done(stmt);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* Does a user have this address, in any spelling (userkey.h)? */
static enum store_rc
store_registration_known(struct db *db, const char *email, bool *known)
{
	char *key = userkey_of(email);
	long long any = 0;
	enum store_rc rc;

	rc = db_scalar(db, &any, "SELECT CASE WHEN EXISTS (SELECT 1 FROM "
	    "users WHERE email_key = ?1 OR user_key = ?1) THEN 1 ELSE 0 END",
	    "t", key);
	free(key);
	*known = any != 0;
	return rc;
}

/* R3's registration. */
struct reg_start {
	const unsigned char *token_hash;
	const char *email;
	const char *lang;
	const unsigned char *seal;
	size_t seal_len;
	long long now;
	long long expires_at;
	const struct store_mail *if_new;
	const struct store_mail *if_existing;
};

static enum store_rc
store_registration_start_tx(struct db *db, void *arg)
{
	const struct reg_start *a = arg;
	enum store_rc rc;
	bool existing;

	/* Dead registrations go in the purge (purge.c), not in every
	 * start, where the sweep made concurrent starts conflict. */
	if ((rc = store_registration_known(db, a->email, &existing)) !=
	    STORE_OK)
		return rc;
	if ((rc = db_exec(db, NULL, "INSERT INTO registrations (token_hash, "
	    "email, lang, code_hash, existing, created_at, expires_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", "bttbiii", a->token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES, a->email, a->lang, a->seal,
	    a->seal_len, (long long)existing, a->now, a->expires_at)) !=
	    STORE_OK)
		return rc;
	return store_account_mails(db, existing ? a->if_existing : a->if_new,
	    1, a->now);
}

/* R3: record the registration and queue its mail. */
enum store_rc
store_registration_start(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    const char *email, const char *lang, const unsigned char *seal,
    size_t seal_len, long long now, long long expires_at,
    const struct store_mail *if_new, const struct store_mail *if_existing)
{
	struct reg_start a = { token_hash, email, lang, seal, seal_len, now,
	    expires_at, if_new, if_existing };

	return store_tx(st, store_registration_start_tx, &a);
}

/* R4's check. */
struct reg_verify {
	const unsigned char *token_hash;
	const char *code;
	long max_attempts;
	long long now;
	long long complete_by;
	struct store_code_check *out;
	struct store_registration *reg;
};

static enum store_rc
store_registration_verify_tx(struct db *db, void *arg)
{
	const struct reg_verify *a = arg;
	struct store_code_check *out = a->out;
	struct reg_row row;
	enum store_rc rc;
	bool found;

	store_code_check_clear(out);
	if ((rc = store_registration_read(db, a->token_hash, a->code,
	    a->max_attempts, a->now, &row, a->reg, out, &found)) != STORE_OK)
		return rc;
	/* The code is single-use: once verified, it is spent. */
	if (!found || row.verified) {
		out->result = STORE_CODE_EXPIRED;
		return STORE_OK;
	}
	if (out->result == STORE_CODE_MATCH) {
		a->reg->expires_at = a->complete_by;
		return db_exec(db, NULL, "UPDATE registrations SET "
		    "verified_at = ?2, expires_at = ?3 WHERE id = ?1", "iii",
		    row.id, a->now, a->complete_by);
	}
	if (out->result == STORE_CODE_WRONG ||
	    (out->result == STORE_CODE_VOID && row.attempts < a->max_attempts))
		return db_exec(db, NULL, "UPDATE registrations SET "
		    "attempts = attempts + 1 WHERE id = ?1", "i", row.id);
	return STORE_OK;
}

/* R4: check the code; a match verifies the registration. */
enum store_rc
store_registration_verify(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    const char *code, long max_attempts, long long now,
    long long complete_by, struct store_code_check *out,
    struct store_registration *reg)
{
	struct reg_verify a = { token_hash, code, max_attempts, now,
	    complete_by, out, reg };
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	memset(reg, 0, sizeof *reg);
	rc = store_tx(st, store_registration_verify_tx, &a);
	if (rc != STORE_OK)
		store_code_check_clear(out);
	/* Only a match hands the registration out: every other answer is
	 * an error to the caller, which then has nothing to release. */
	if (rc != STORE_OK || out->result != STORE_CODE_MATCH)
		store_registration_clear(reg);
	return rc;
}

/* Judge a read registration for completion: it must be verified, live,
 * and not for an address with an account. */
static void
store_registration_state(bool found, const struct reg_row *row,
    long max_attempts, long long now, struct store_code_check *out)
{
	out->remaining = 0;
	if (!found || row->expires_at <= now)
		out->result = STORE_CODE_EXPIRED;
	else if (row->attempts >= max_attempts)
		out->result = STORE_CODE_VOID;
	else if (!row->verified || row->existing) {
		out->result = STORE_CODE_WRONG;
		out->remaining = max_attempts - (long)row->attempts;
	} else
		out->result = STORE_CODE_MATCH;
}

/* R5: the registration behind a handle, if verified and live. */
enum store_rc
store_registration_get(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    long max_attempts, long long now, struct store_code_check *out,
    struct store_registration *reg)
{
	struct reg_row row;
	struct db *db;
	enum store_rc rc;
	bool found;

	memset(out, 0, sizeof *out);
	memset(reg, 0, sizeof *reg);
	out->result = STORE_CODE_EXPIRED;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	rc = store_registration_read(db, token_hash, NULL, max_attempts, now,
	    &row, reg, out, &found);
	if (rc != STORE_OK) {
		store_registration_clear(reg);
		return rc;
	}
	store_registration_state(found, &row, max_attempts, now, out);
	return STORE_OK;
}

/* The address behind a handle, whatever the registration's state. */
enum store_rc
store_registration_address(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], char **email)
{
	struct db_stmt *row;
	struct db *db;
	enum store_rc rc;

	*email = NULL;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_query(db, &row, "SELECT email FROM registrations WHERE "
	    "token_hash = ?1", "b", token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES)) != STORE_OK)
		return rc;
	if ((rc = db_next(row)) == STORE_OK)
		*email = db_strdup(row, 0);
	db_done(row);
	return rc;
}

/* Insert the user, issuing IDs until one is free. */
static enum store_rc
store_registration_insert(struct db *db, struct store_user *u,
    void (*issue)(char *, size_t), long long *ref)
{
	enum store_rc rc = STORE_EXISTS;
	char id[64];

	/* A taken ID fails no statement (store_user_insert): try another
	 * draw (10^8 IDs make a second try rare already). */
	for (int attempt = 0; attempt < 20 && rc == STORE_EXISTS; attempt++) {
		if (issue != NULL) {
			issue(id, sizeof id);
			free(u->user_id);
			u->user_id = xstrdup(id);
		}
		rc = store_user_insert(db, u, ref);
		if (issue == NULL)
			break;
	}
	return rc;
}

/* The registration_complete mail's params: {name, user_id}. */
static char *
store_registration_params(const struct store_user *u)
{
	cJSON *p = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(p, "name", u->name);
	cJSON_AddStringToObject(p, "user_id", u->user_id);
	text = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	return text;
}

/* R7's completion. */
struct reg_complete {
	const unsigned char *token_hash;
	long max_attempts;
	struct store_user *u;
	void (*issue)(char *, size_t);
	const unsigned char *session_hash;
	long long now;
	long long session_expires;
	const char *session_lang;
	struct store_code_check *out;
	long long *ref;
	struct store_registration reg;
};

/* The user, the mail and the session once the registration is judged
 * completable. */
static enum store_rc
store_registration_finish(struct db *db, struct reg_complete *a,
    long long reg_id)
{
	struct store_user *u = a->u;
	struct store_mail mail;
	enum store_rc rc;
	char *params;
	bool known;

	/* Someone else registered the address meanwhile. */
	if ((rc = store_registration_known(db, a->reg.email, &known)) !=
	    STORE_OK)
		return rc;
	if (known)
		return STORE_EXISTS;
	free(u->email);
	u->email = xstrdup(a->reg.email);
	if (a->issue == NULL) {
		/* lgpos: the address is the user ID (001). */
		free(u->user_id);
		u->user_id = xstrdup(a->reg.email);
	}
	u->password_changed_at = u->created_at = a->now;
	if ((rc = store_registration_insert(db, u, a->issue, a->ref)) !=
	    STORE_OK)
		return rc;
	if ((rc = db_exec(db, NULL, "DELETE FROM registrations WHERE id = ?1",
	    "i", reg_id)) != STORE_OK)
		return rc;
	if ((params = store_registration_params(u)) == NULL)
		return STORE_ERROR;
	mail.kind = "registration_complete";
	mail.to = u->email;
	mail.lang = a->session_lang;
	mail.params = params;
	rc = store_account_mails(db, &mail, 1, a->now);
	free(params);
	if (rc != STORE_OK)
		return rc;
	return store_account_open_session(db, *a->ref, a->session_hash,
	    a->now, a->session_expires, a->session_lang);
}

static enum store_rc
store_registration_complete_tx(struct db *db, void *arg)
{
	struct reg_complete *a = arg;
	struct reg_row row;
	enum store_rc rc;
	bool found;

	store_code_check_clear(a->out);
	*a->ref = 0;
	if ((rc = store_registration_read(db, a->token_hash, NULL,
	    a->max_attempts, a->now, &row, &a->reg, a->out, &found)) !=
	    STORE_OK)
		return rc;
	store_registration_state(found, &row, a->max_attempts, a->now,
	    a->out);
	/* A second completion of the same handle lands here: the first
	 * deleted it. */
	if (a->out->result != STORE_CODE_MATCH)
		return STORE_OK;
	return store_registration_finish(db, a, row.id);
}

/* R7: the user, the mail and the session, at once. */
enum store_rc
store_registration_complete(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    long max_attempts, struct store_user *u,
    void (*issue)(char *, size_t),
    const unsigned char session_hash[STORE_TOKEN_HASH_BYTES],
    long long now, long long session_expires, const char *session_lang,
    struct store_code_check *out, long long *ref)
{
	struct reg_complete a = { token_hash, max_attempts, u, issue,
	    session_hash, now, session_expires, session_lang, out, ref,
	    { NULL, NULL, 0 } };
	enum store_rc rc;

	memset(out, 0, sizeof *out);
	out->result = STORE_CODE_EXPIRED;
	*ref = 0;
	rc = store_tx(st, store_registration_complete_tx, &a);
	store_registration_clear(&a.reg);
	if (rc != STORE_OK)
		*ref = 0;
	return rc;
}
