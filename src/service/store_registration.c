/* Registrations in the store (registrations table, v2): R3 start, R4
 * verify, R5 look-up, R7 completion into a user and a session. */
#include "config.h"

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
 * With typed != NULL, also judge the code. */
static enum store_rc
store_registration_read(sqlite3 *db,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], const char *typed,
    long max_attempts, long long now, struct reg_row *row,
    struct store_registration *reg, struct store_code_check *out,
    bool *found)
{
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	*found = false;
	memset(row, 0, sizeof *row);
	if ((rc = store_prepare(db, "SELECT " REG_COLUMNS " FROM "
	    "registrations WHERE token_hash = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		*found = true;
		row->id = sqlite3_column_int64(stmt, 0);
		reg->email = store_column_text(stmt, 1);
		reg->lang = store_column_text(stmt, 2);
		row->attempts = sqlite3_column_int64(stmt, 4);
		row->existing = sqlite3_column_int(stmt, 5) != 0;
		row->verified = sqlite3_column_type(stmt, 6) != SQLITE_NULL;
		row->expires_at = reg->expires_at =
		    sqlite3_column_int64(stmt, 7);
		/* An address that has an account never verifies: the
		 * typed code is judged as if wrong (no enumeration). */
		if (typed != NULL)
			store_code_judge(row->existing ? NULL : typed,
			    sqlite3_column_blob(stmt, 3),
			    (size_t)sqlite3_column_bytes(stmt, 3),
			    row->attempts, row->expires_at, false,
			    max_attempts, now, out);
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE ? STORE_OK :
	    store_rc_of(db, step);
}

/* R3: record the registration and queue its mail. */
enum store_rc
store_registration_start(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    const char *email, const char *lang, const unsigned char *seal,
    size_t seal_len, long long now, long long expires_at,
    const struct store_mail *if_new, const struct store_mail *if_existing)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	bool existing;

	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	/* Sweep registrations long dead, so the table does not grow. */
	if ((rc = store_prepare(db, "DELETE FROM registrations WHERE "
	    "expires_at <= ?1", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, now - 86400);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	/* Any spelling of a known address is known (userkey.h). */
	if ((rc = store_prepare(db, "SELECT EXISTS (SELECT 1 FROM users "
	    "WHERE email_key = ?1 OR user_key = ?1)", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_text(stmt, 1, userkey_of(email), -1, free);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		rc = store_rc_of(db, sqlite3_errcode(db));
		sqlite3_finalize(stmt);
		goto fail;
	}
	existing = sqlite3_column_int(stmt, 0) != 0;
	sqlite3_finalize(stmt);
	if ((rc = store_prepare(db, "INSERT INTO registrations (token_hash, "
	    "email, lang, code_hash, existing, created_at, expires_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, lang, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 4, seal, (int)seal_len, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 5, existing);
	sqlite3_bind_int64(stmt, 6, now);
	sqlite3_bind_int64(stmt, 7, expires_at);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	if ((rc = store_account_mails(db, existing ? if_existing : if_new, 1,
	    now)) != STORE_OK)
		goto fail;
	return store_commit(db);

fail:
	store_rollback(db);
	return rc;
}

/* R4: check the code; a match verifies the registration. */
enum store_rc
store_registration_verify(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    const char *code, long max_attempts, long long now,
    long long complete_by, struct store_code_check *out,
    struct store_registration *reg)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	struct reg_row row;
	enum store_rc rc;
	bool found;

	memset(out, 0, sizeof *out);
	out->result = STORE_CODE_EXPIRED;
	memset(reg, 0, sizeof *reg);
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_registration_read(db, token_hash, code, max_attempts,
	    now, &row, reg, out, &found)) != STORE_OK)
		goto fail;
	/* The code is single-use: once verified, it is spent. */
	if (!found || row.verified) {
		out->result = STORE_CODE_EXPIRED;
		store_rollback(db);
		store_registration_clear(reg);
		return STORE_OK;
	}
	stmt = NULL;
	if (out->result == STORE_CODE_MATCH) {
		if ((rc = store_prepare(db, "UPDATE registrations SET "
		    "verified_at = ?2, expires_at = ?3 WHERE id = ?1",
		    &stmt)) != STORE_OK)
			goto fail;
		sqlite3_bind_int64(stmt, 2, now);
		sqlite3_bind_int64(stmt, 3, complete_by);
		reg->expires_at = complete_by;
	} else if (out->result == STORE_CODE_WRONG ||
	    (out->result == STORE_CODE_VOID && row.attempts < max_attempts)) {
		if ((rc = store_prepare(db, "UPDATE registrations SET "
		    "attempts = attempts + 1 WHERE id = ?1", &stmt)) !=
		    STORE_OK)
			goto fail;
	}
	if (stmt != NULL) {
		sqlite3_bind_int64(stmt, 1, row.id);
		if ((rc = store_account_step(db, stmt)) != STORE_OK)
			goto fail;
	}
	if ((rc = store_commit(db)) != STORE_OK)
		goto cleared;
	/* Only a match hands the registration out: every other answer is
	 * an error to the caller, which then has nothing to release. */
	if (out->result != STORE_CODE_MATCH)
		store_registration_clear(reg);
	return STORE_OK;

fail:
	store_rollback(db);
cleared:
	store_registration_clear(reg);
	store_code_check_clear(out);
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
	sqlite3 *db = store_db(st);
	struct reg_row row;
	enum store_rc rc;
	bool found;

	memset(out, 0, sizeof *out);
	memset(reg, 0, sizeof *reg);
	out->result = STORE_CODE_EXPIRED;
	if (db == NULL)
		return STORE_ERROR;
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
	sqlite3 *db = store_db(st);
	sqlite3_stmt *stmt;
	enum store_rc rc;
	int step;

	*email = NULL;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_prepare(db, "SELECT email FROM registrations WHERE "
	    "token_hash = ?1", &stmt)) != STORE_OK)
		return rc;
	sqlite3_bind_blob(stmt, 1, token_hash, STORE_TOKEN_HASH_BYTES,
	    SQLITE_STATIC);
	step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		*email = store_column_text(stmt, 0);
	sqlite3_finalize(stmt);
	if (step == SQLITE_ROW)
		return STORE_OK;
	return step == SQLITE_DONE ? STORE_NOT_FOUND : store_rc_of(db, step);
}

/* Insert the user, issuing IDs until one is free. */
static enum store_rc
store_registration_insert(sqlite3 *db, struct store_user *u,
    void (*issue)(char *, size_t), long long now, long long *ref)
{
	static const char sql[] = "INSERT INTO users (user_id, name, email, "
	    "password_hash, password_changed_at, created_at, updated_at, lang,"
	    " kind, details, name_latin, notify_email, bulk_user_id,"
	    " bulk_password_hash, user_key, email_key) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	enum store_rc rc = STORE_EXISTS;
	char id[64];

	/* A taken ID fails only its statement, not the transaction: try
	 * another draw (10^8 IDs make a second try rare already). */
	for (int attempt = 0; attempt < 20 && rc == STORE_EXISTS; attempt++) {
		sqlite3_stmt *stmt;

		if (issue != NULL) {
			issue(id, sizeof id);
			free(u->user_id);
			u->user_id = xstrdup(id);
		}
		if ((rc = store_prepare(db, sql, &stmt)) != STORE_OK)
			return rc;
		sqlite3_bind_text(stmt, 1, u->user_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, u->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, u->email, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, u->password_hash, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 5, now);
		sqlite3_bind_text(stmt, 6, u->lang, -1, SQLITE_STATIC);
		store_user_bind_extras(stmt, 7, u);
		store_user_bind_keys(stmt, 13, u);
		rc = store_account_step(db, stmt);
		if (issue == NULL)
			break;
	}
	if (rc == STORE_OK)
		*ref = sqlite3_last_insert_rowid(db);
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
	sqlite3 *db = store_db(st);
	struct store_registration reg;
	struct store_mail mail;
	sqlite3_stmt *stmt;
	struct reg_row row;
	enum store_rc rc;
	char *params = NULL;
	bool found;

	memset(out, 0, sizeof *out);
	memset(&reg, 0, sizeof reg);
	out->result = STORE_CODE_EXPIRED;
	*ref = 0;
	if (db == NULL)
		return STORE_ERROR;
	if ((rc = store_begin(db)) != STORE_OK)
		return rc;
	if ((rc = store_registration_read(db, token_hash, NULL, max_attempts,
	    now, &row, &reg, out, &found)) != STORE_OK)
		goto fail;
	store_registration_state(found, &row, max_attempts, now, out);
	if (out->result != STORE_CODE_MATCH) {
		/* A second completion of the same handle lands here: the
		 * first deleted it. */
		store_rollback(db);
		store_registration_clear(&reg);
		return STORE_OK;
	}
	/* Someone else registered the address meanwhile. */
	if ((rc = store_prepare(db, "SELECT EXISTS (SELECT 1 FROM users "
	    "WHERE email_key = ?1 OR user_key = ?1)", &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_text(stmt, 1, userkey_of(reg.email), -1, free);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0)) {
		sqlite3_finalize(stmt);
		rc = STORE_EXISTS;
		goto fail;
	}
	sqlite3_finalize(stmt);

	free(u->email);
	u->email = xstrdup(reg.email);
	if (issue == NULL) {
		/* lgpos: the address is the user ID (001). */
		free(u->user_id);
		u->user_id = xstrdup(reg.email);
	}
	if ((rc = store_registration_insert(db, u, issue, now, ref)) !=
	    STORE_OK)
		goto fail;
	if ((rc = store_prepare(db, "DELETE FROM registrations WHERE id = ?1",
	    &stmt)) != STORE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, row.id);
	if ((rc = store_account_step(db, stmt)) != STORE_OK)
		goto fail;
	if ((params = store_registration_params(u)) == NULL) {
		rc = STORE_ERROR;
		goto fail;
	}
	mail.kind = "registration_complete";
	mail.to = u->email;
	mail.lang = session_lang;
	mail.params = params;
	if ((rc = store_account_mails(db, &mail, 1, now)) != STORE_OK)
		goto fail;
	if ((rc = store_account_open_session(db, *ref, session_hash, now,
	    session_expires, session_lang)) != STORE_OK)
		goto fail;
	free(params);
	store_registration_clear(&reg);
	return store_commit(db);

fail:
	free(params);
	store_rollback(db);
	store_registration_clear(&reg);
	*ref = 0;
	return rc;
}
