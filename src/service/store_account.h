/* The store's side of the account flows (SPEC R3-R7, A1-A3, L3, M2-M6,
 * P4): registrations, one-time codes, password, address and detail
 * changes.  Each call is one transaction that also queues the mails the
 * change causes (mail_outbox), so a committed change always has its mail
 * and a refused one never does.  Codes are passed in as typed; only
 * their seals (onetime.h) are ever stored. */
#ifndef MADOGUCHID_STORE_ACCOUNT_H
#define MADOGUCHID_STORE_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* A mail to queue with a change; params is a JSON object's text. */
struct store_mail {
	const char *kind;
	const char *to;
	const char *lang;
	const char *params;
};

/* What checking a one-time code or a registration handle found. */
enum store_code_result {
	STORE_CODE_MATCH,
	STORE_CODE_WRONG,	/* counted; tries remain */
	STORE_CODE_VOID,	/* the tries are used up */
	STORE_CODE_EXPIRED	/* past its time, spent, or never issued */
};

struct store_code_check {
	enum store_code_result result;
	long remaining;		/* tries left, for STORE_CODE_WRONG */
	long long id;		/* the code's row, for STORE_CODE_MATCH */
	char *new_email;	/* M3: the address it confirms (malloc'd) */
	char *lang;		/* the language it was requested in */
};

/* A registration as R4-R7 see it. */
struct store_registration {
	char *email;
	char *lang;
	long long expires_at;
};

/* Release what a check or registration owns. */
void store_code_check_clear(struct store_code_check *);
void store_registration_clear(struct store_registration *);

/* Users: by row and by oss bulk-user ID. */
enum store_rc store_user_get(struct store *, long long ref,
    struct store_user *out);
enum store_rc store_user_find_bulk(struct store *, const char *bulk_user_id,
    struct store_user *out);

/* R3: record a registration (handle hash, address, code seal) and queue
 * its mail: if_new normally, if_existing when a user already has the
 * address; then the handle never verifies (no enumeration: both ways are
 * the same one write transaction). */
enum store_rc store_registration_start(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    const char *email, const char *lang, const unsigned char *seal,
    size_t seal_len, long long now, long long expires_at,
    const struct store_mail *if_new, const struct store_mail *if_existing);
/* R4: check the code; on a match mark the registration verified and
 * give it until complete_by to be completed.  *reg is filled (release it
 * with store_registration_clear) only on a match. */
enum store_rc store_registration_verify(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    const char *code, long max_attempts, long long now,
    long long complete_by, struct store_code_check *out,
    struct store_registration *reg);
/* R5: is the handle a verified, live registration?  (Read only.) */
enum store_rc store_registration_get(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    long max_attempts, long long now, struct store_code_check *out,
    struct store_registration *reg);
/* The address a registration handle was started for (malloc'd), for
 * the per-address rate limit of R4; STORE_NOT_FOUND when there is no
 * such handle.  Read only. */
enum store_rc store_registration_address(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], char **email);
/* R7: create the user u (u->email and u->lang are taken from the
 * registration; u->user_id NULL = issue one with issue()), queue
 * registration_complete {name, user_id}, delete the registration and
 * open a session, all at once.  *ref and u->user_id (malloc'd) are the
 * new user's.  STORE_EXISTS: the address has an account already. */
enum store_rc store_registration_complete(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES],
    long max_attempts, struct store_user *u,
    void (*issue)(char *, size_t),
    const unsigned char session_hash[STORE_TOKEN_HASH_BYTES],
    long long now, long long session_expires, const char *session_lang,
    struct store_code_check *out, long long *ref);

/* A2, M3, M6: issue a code of purpose ("reset", "email", "bulk") for a
 * user, voiding any earlier one of the same purpose, and queue its mail.
 * user_ref <= 0 (an unknown user) does the same write transaction and
 * stores nothing, so that both answers take alike. */
enum store_rc store_code_issue(struct store *, const char *purpose,
    long long user_ref, const unsigned char *seal, size_t seal_len,
    const char *new_email, const char *lang, long long now,
    long long expires_at, const struct store_mail *mail);
/* Check a typed code against the user's live code of that purpose,
 * counting a wrong one.  The code is not spent here: the change that it
 * allows spends it (store_password_change, store_email_change). */
enum store_rc store_code_check(struct store *, const char *purpose,
    long long user_ref, const char *code, long max_attempts,
    long long now, struct store_code_check *out);

/* A password change: A2 reset, A3/L3, M4, M6 (bulk). */
struct store_password_change {
	long long user_ref;
	const char *hash;		/* the new argon2id hash */
	bool bulk;			/* M6: the bulk-user password */
	/* Which sessions end (not for bulk): all, or all but this one
	 * (M4: the one making the change stays). */
	const unsigned char *keep_session;
	long long code_id;		/* a code to spend, 0 = none */
	const char *code;		/* its text, checked again */
	long long now;
	const struct store_mail *mail;
};
/* Set the password (and password_changed_at, lifting any lockout,
 * 003 §2.2), end sessions, spend the code and queue the mail.
 * STORE_EXPIRED: the code was spent or voided meanwhile. */
enum store_rc store_password_change(struct store *,
    const struct store_password_change *);

/* M3: spend the code and change the address (and, when
 * address_is_user_id (lgpos), the user ID with it), queueing mails.
 * STORE_EXISTS: another user has that ID; STORE_EXPIRED: the code was
 * spent meanwhile. */
enum store_rc store_email_change(struct store *, long long ref,
    long long code_id, const char *code, const char *new_email,
    bool address_is_user_id, long long now, const struct store_mail *mails,
    size_t nmails);

/* M2, M5: new values for users' columns (NULL = unchanged;
 * notify_email "" = none) and the whole details object. */
struct store_details_change {
	long long ref;
	const char *name;
	const char *kind;
	const char *email;
	const char *notify_email;
	const char *details;
	long long now;
};
enum store_rc store_details_change(struct store *,
    const struct store_details_change *, const struct store_mail *mail);

/* A1: queue user_id_reminder {name, user_id} to every user with this
 * address and Latin name (one write transaction whether or not any). */
enum store_rc store_user_id_remind(struct store *, const char *email,
    const char *name_latin, const char *lang, long long now);

/* P4: the idle deadline of the session with this token hash, without
 * moving it; an expired one is deleted and STORE_EXPIRED returned. */
enum store_rc store_session_peek(struct store *,
    const unsigned char token_hash[STORE_TOKEN_HASH_BYTES], long long now,
    long long *expires_at);

#endif
