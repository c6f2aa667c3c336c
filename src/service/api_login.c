/* Proving a user ID and password (log-in, and A3's current password)
 * without telling which user IDs exist (issue 9): an unknown ID fails,
 * counts and locks exactly as a known one with a wrong password, and
 * every answer, locked or not, costs one password hash. */
#include "config.h"

#include "api_account.h"
#include "log.h"
#include "reply.h"
#include "store_failures.h"
#include "userkey.h"

/* A failed log-in for a user ID that does not exist: counted by the
 * hash of its key, 401 or, on the failure that locks, 423. */
static void
api_login_unknown_failed(const struct api_ctx *ctx,
    const unsigned char id_hash[USERKEY_HASH_BYTES], time_t now,
    struct http_reply *r)
{
	const struct limits *lim = &ctx->cfg->limits;
	long long until = 0;
	enum store_rc rc;

	rc = store_failures_count(ctx->store, id_hash, now,
	    lim->lockout_failures, lim->lockout_duration, &until);
	if (rc != STORE_OK) {
		api_store_error(r, rc);
		return;
	}
	if (until > 0) {
		/* Not the ID: it may be a password typed in the wrong
		 * field. */
		log_info("an unknown user ID locked until %lld after %ld "
		    "failed log-ins", until, lim->lockout_failures);
		api_account_locked(r, until);
		return;
	}
	reply_error(r, ERR_INVALID_CREDENTIALS, NULL, NULL,
	    "user ID or password is wrong");
}

/* The password proved right against a hash of another cost (OWASP's
 * advice changed, or hash_time/hash_memory did): hash it again at the
 * configured cost while it is at hand.  A failure changes nothing for
 * the person; the next log-in tries again. */
static void
api_login_rehash(const struct api_ctx *ctx, const struct store_user *u,
    const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	enum store_rc rc;

	if (!auth_needs_rehash(ctx->auth, u->password_hash))
		return;
	if (auth_hash(ctx->auth, password, hash) != AUTH_OK)
		return;
	rc = store_user_rehash(ctx->store, u->ref, u->password_hash, hash);
	sodium_memzero(hash, sizeof hash);
	if (rc == STORE_OK)
		log_info("a password hash made again at the configured cost");
	else if (rc != STORE_NOT_FOUND)
		log_warn("a password could not be hashed again (%d)", (int)rc);
}

/* Prove user_id and password; true with *u filled when they are right
 * for an unlocked account, else false with the reply filled. */
bool
api_login_prove(const struct api_ctx *ctx, const char *user_id,
    const char *password, time_t now, struct store_user *u,
    struct http_reply *r)
{
	unsigned char id_hash[USERKEY_HASH_BYTES];
	long long locked_until;
	enum store_rc rc;
	enum auth_rc arc;
	bool found;

	rc = store_user_find(ctx->store, user_id, u);
	if (rc != STORE_OK && rc != STORE_NOT_FOUND) {
		api_store_error(r, rc);
		return false;
	}
	found = rc == STORE_OK;
	if (found)
		locked_until = u->locked_until;
	else {
		userkey_hash(user_id, id_hash);
		rc = store_failures_locked(ctx->store, id_hash, &locked_until);
		if (rc != STORE_OK) {
			api_store_error(r, rc);
			return false;
		}
	}
	/* Always one hash, before any answer: against the stored one, or
	 * a dummy for an unknown ID, and also while locked (003 §2.2 says
	 * locked whatever the password; answering that without the hash
	 * took 4 ms instead of 100 and told which IDs exist). */
	arc = auth_verify(ctx->auth, found ? u->password_hash : NULL,
	    password);
	if (arc == AUTH_BUSY || arc == AUTH_ERROR)
		api_auth_error(r, arc);
	else if (locked_until > now)
		api_account_locked(r, locked_until);
	else if (!found)
		api_login_unknown_failed(ctx, id_hash, now, r);
	else if (arc == AUTH_MISMATCH)
		api_session_failed(ctx, u, now, r);
	else {
		api_login_rehash(ctx, u, password);
		return true;
	}
	return false;
}
