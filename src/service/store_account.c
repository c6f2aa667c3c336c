/* Account flows in the store: mails, sessions, A1 reminders, P4 peek. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store_account_int.h"
#include "userkey.h"
#include "xmalloc.h"

/* Queue n mails inside the open transaction. */
enum store_rc
store_account_mails(struct db *db, const struct store_mail *mails, size_t n,
    long long now)
{
	enum store_rc rc = STORE_OK;

	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		rc = store_mail_queue(db, mails[i].kind, mails[i].to,
		    mails[i].lang, mails[i].params != NULL ? mails[i].params :
		    "{}", now);
	return rc;
}

/* End a user's sessions (password change or reset: the old password's
 * sessions must not outlive it), all or all but keep. */
enum store_rc
store_account_end_sessions(struct db *db, long long ref,
    const unsigned char *keep)
{
	if (keep == NULL)
		return db_exec(db, NULL, "DELETE FROM sessions WHERE "
		    "user_ref = ?1", "i", ref);
	return db_exec(db, NULL, "DELETE FROM sessions WHERE user_ref = ?1 "
	    "AND token_hash <> ?2", "ib", ref, keep,
	    (size_t)STORE_TOKEN_HASH_BYTES);
}

/* Open a session and record the log-in, inside the caller's
 * transaction. */
enum store_rc
store_account_open_session(struct db *db, long long ref,
    const unsigned char hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long expires_at, const char *lang)
{
	enum store_rc rc;

	/* The subquery reads last_login before the UPDATE below sets it. */
	if ((rc = db_exec(db, NULL, "INSERT INTO sessions (token_hash, "
	    "user_ref, created_at, last_seen, expires_at, lang, prev_login) "
	    "VALUES (?1, ?2, ?3, ?3, ?4, ?5, "
	    "(SELECT last_login FROM users WHERE id = ?2))", "biiit", hash,
	    (size_t)STORE_TOKEN_HASH_BYTES, ref, now, expires_at, lang)) !=
	    STORE_OK)
		return rc;
	return db_exec(db, NULL, "UPDATE users SET last_login = ?2 "
	    "WHERE id = ?1", "ii", ref, now);
}

/* The reminders A1 asks for. */
struct id_remind {
	const char *email;
	const char *name_latin;
	const char *lang;
	long long now;
};

static enum store_rc
store_user_id_remind_tx(struct db *db, void *arg)
{
	const struct id_remind *a = arg;
	char *key = userkey_of(a->email);
	struct db_stmt *row;
	enum store_rc rc;

	/* The address in any case (userkey.h); the mail goes to it as
	 * the user registered it. */
	rc = db_query(db, &row, "SELECT user_id, name, email FROM users "
	    "WHERE email_key = ?1 AND name_latin = ?2", "tt", key,
	    a->name_latin);
	free(key);
	if (rc != STORE_OK)
		return rc;
	while ((rc = db_next(row)) == STORE_OK) {
		cJSON *p = cJSON_CreateObject();
		char *params;

		cJSON_AddStringToObject(p, "name", db_text(row, 1));
		cJSON_AddStringToObject(p, "user_id", db_text(row, 0));
		params = cJSON_PrintUnformatted(p);
		cJSON_Delete(p);
		rc = params == NULL ? STORE_ERROR : store_mail_queue(db,
		    "user_id_reminder", db_text(row, 2), a->lang, params,
		    a->now);
		free(params);
		if (rc != STORE_OK)
			break;
	}
	db_done(row);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* A1 (003 §2.4): mail the ID to each user with this address and name. */
enum store_rc
store_user_id_remind(struct store *st, const char *email,
    const char *name_latin, const char *lang, long long now)
{
	struct id_remind a = { email, name_latin, lang, now };

	/* A write transaction even when nothing matches, so that both
	 * answers cost alike. */
	return store_tx(st, store_user_id_remind_tx, &a);
}

/* P4: how long a session has left, without counting as activity. */
enum store_rc
store_session_peek(struct store *st,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long *expires_at)
{
	struct db *db;
	enum store_rc rc;

	*expires_at = 0;
	if ((rc = store_conn(st, &db)) != STORE_OK)
		return rc;
	if ((rc = db_scalar(db, expires_at, "SELECT expires_at FROM sessions "
	    "WHERE token_hash = ?1", "b", token_hash,
	    (size_t)STORE_TOKEN_HASH_BYTES)) != STORE_OK)
		return rc;
	if (*expires_at > now)
		return STORE_OK;
	/* 003 §2.6: over for good, as store_session_touch decides, even
	 * when the row cannot be deleted now (a full disk). */
	(void)store_exec(st, NULL, "DELETE FROM sessions WHERE token_hash = ?1",
	    "b", token_hash, (size_t)STORE_TOKEN_HASH_BYTES);
	return STORE_EXPIRED;
}
