/* Many users in one transaction (user-import): one commit for hundreds
 * of rows is what makes an import of 100,000 take minutes; a commit a
 * user (user-add) is an fsync each. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "store_account_int.h"
#include "store_import.h"
#include "userkey.h"
#include "xmalloc.h"

/* Draws of a free issued ID before giving up, as user-add. */
#define STORE_IMPORT_DRAWS 20

/* Copy at most STORE_IMPORT_ID_MAX - 1 bytes of an ID. */
static void
store_import_copy(char out[STORE_IMPORT_ID_MAX], const char *id)
{
	snprintf(out, STORE_IMPORT_ID_MAX, "%s", id != NULL ? id : "");
}

/* With issued IDs: the ID of a stored user who is this one (the same
 * address and Latin name or name) into iu->user_id; STORE_NOT_FOUND
 * when there is none. */
static enum store_rc
store_import_same(struct db *db, struct store_import_user *iu)
{
	const struct store_user *u = &iu->u;
	char *key = userkey_of(u->email);
	struct db_stmt *row;
	enum store_rc rc;

	rc = db_query(db, &row, u->name_latin != NULL ?
	    "SELECT user_id, bulk_user_id FROM users WHERE email_key = ?1 "
	    "AND name_latin = ?2 ORDER BY id LIMIT 1" :
	    "SELECT user_id, bulk_user_id FROM users WHERE email_key = ?1 "
	    "AND name = ?2 ORDER BY id LIMIT 1", "tt", key,
	    u->name_latin != NULL ? u->name_latin : u->name);
	/* The values are read as the rows are: key lives until done. */
	if (rc != STORE_OK) {
		free(key);
		return rc;
	}
	if ((rc = db_next(row)) == STORE_OK) {
		store_import_copy(iu->user_id, db_text(row, 0));
		store_import_copy(iu->bulk_user_id, db_text(row, 1));
	}
	db_done(row);
	free(key);
	return rc;
}

/* A given user ID that is taken: the spelling stored, which may differ
 * in case, into iu->user_id. */
static enum store_rc
store_import_taken(struct db *db, struct store_import_user *iu)
{
	char *key = userkey_of(iu->u.user_id);
	struct db_stmt *row;
	enum store_rc rc;

	store_import_copy(iu->user_id, iu->u.user_id);
	rc = db_query(db, &row, "SELECT user_id FROM users WHERE "
	    "user_key = ?1 OR user_id = ?2 ORDER BY id LIMIT 1", "tt", key,
	    iu->u.user_id);
	/* The values are read as the rows are: key lives until done. */
	if (rc != STORE_OK) {
		free(key);
		return rc;
	}
	if (db_next(row) == STORE_OK)
		store_import_copy(iu->user_id, db_text(row, 0));
	db_done(row);
	free(key);
	return STORE_OK;
}

/* Insert the user, drawing IDs while they are taken; *ref its row. */
static enum store_rc
store_import_insert(struct db *db, const struct store_import_batch *b,
    struct store_import_user *iu, long long *ref)
{
	struct store_user u = iu->u;
	enum store_rc rc = STORE_EXISTS;

	if (b->issue == NULL) {
		if ((rc = store_user_insert(db, &u, ref)) == STORE_OK)
			store_import_copy(iu->user_id, u.user_id);
		return rc;
	}
	for (int draw = 0; draw < STORE_IMPORT_DRAWS && rc == STORE_EXISTS;
	    draw++) {
		b->issue(iu->user_id, iu->bulk_user_id);
		u.user_id = iu->user_id;
		u.bulk_user_id = iu->bulk_user_id[0] != '\0' ?
		    iu->bulk_user_id : NULL;
		rc = store_user_insert(db, &u, ref);
	}
	/* Every draw taken: the ID space is full, not this user there. */
	return rc == STORE_EXISTS ? STORE_ERROR : rc;
}

/* The account_key mail's params: {name, user_id, key, ttl_hours}. */
static char *
store_import_params(const struct store_import_user *iu, long ttl_hours)
{
	cJSON *p = cJSON_CreateObject();
	char ttl[32], *text;

	snprintf(ttl, sizeof ttl, "%ld", ttl_hours);
	cJSON_AddStringToObject(p, "name", iu->u.name);
	cJSON_AddStringToObject(p, "user_id", iu->user_id);
	cJSON_AddStringToObject(p, "key", iu->key);
	cJSON_AddStringToObject(p, "ttl_hours", ttl);
	text = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	return text;
}

/* The new user's key and the mail that carries it. */
static enum store_rc
store_import_key(struct db *db, const struct store_import_batch *b,
    const struct store_import_user *iu, long long ref)
{
	struct store_mail mail;
	enum store_rc rc;
	char *params;

	if ((rc = db_exec(db, NULL, "INSERT INTO codes (purpose, user_ref, "
	    "code_hash, lang, created_at, expires_at) "
	    "VALUES ('reset', ?1, ?2, ?3, ?4, ?5)", "ibtii", ref, iu->seal,
	    sizeof iu->seal, iu->u.lang, b->now, b->key_expires)) != STORE_OK)
		return rc;
	if ((params = store_import_params(iu, b->ttl_hours)) == NULL)
		return STORE_ERROR;
	mail.kind = "account_key";
	mail.to = iu->u.email;
	mail.lang = iu->u.lang;
	mail.params = params;
	rc = store_account_mails(db, &mail, 1, b->now);
	free_secret(&params);
	return rc;
}

/* One user: there already, or added with its key. */
static enum store_rc
store_import_one(struct db *db, const struct store_import_batch *b,
    struct store_import_user *iu)
{
	long long ref = 0;
	enum store_rc rc;

	iu->outcome = STORE_IMPORT_EXISTS;
	iu->user_id[0] = iu->bulk_user_id[0] = '\0';
	if (b->issue != NULL) {
		rc = store_import_same(db, iu);
		if (rc != STORE_NOT_FOUND)
			return rc;
	}
	rc = store_import_insert(db, b, iu, &ref);
	if (rc == STORE_EXISTS)
		return store_import_taken(db, iu);
	if (rc != STORE_OK)
		return rc;
	iu->outcome = STORE_IMPORT_ADDED;
	return iu->key != NULL ? store_import_key(db, b, iu, ref) : STORE_OK;
}

static enum store_rc
store_import_tx(struct db *db, void *arg)
{
	struct store_import_batch *b = arg;
	enum store_rc rc = STORE_OK;

	for (size_t i = 0; i < b->n && rc == STORE_OK; i++)
		rc = store_import_one(db, b, &b->users[i]);
	return rc;
}

/* Add a batch of users in one transaction. */
enum store_rc
store_import(struct store *st, struct store_import_batch *b)
{
	return store_tx(st, store_import_tx, b);
}
