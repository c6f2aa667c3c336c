/* What the account endpoints (registration, recovery, My page) share:
 * reading members with the error reply filled, new-password checks,
 * answers for one-time codes, and the body of GET /api/v1/me. */
#ifndef MADOGUCHID_API_ACCOUNT_H
#define MADOGUCHID_API_ACCOUNT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "api.h"
#include "store_account.h"

/* A string member; false with the reply filled (missing, wrong type). */
bool api_account_string(const cJSON *body, const char *key, bool required,
    const char **out, struct http_reply *);
/* An optional lang member (one of lang.h's), else def. */
bool api_account_lang(const cJSON *body, const char *def, const char **out,
    struct http_reply *);
/* An address and its confirmation: validate_email, then mismatch. */
bool api_account_email_pair(const cJSON *body, const char *key,
    const char *confirm_key, const char **out, struct http_reply *);
/* A new password and its confirmation: the profile's policy, the
 * dictionary (pwcheck.h), then mismatch on the confirmation. */
bool api_account_new_password(const struct api_ctx *, const cJSON *body,
    const char *key, const char *confirm_key, const char **out,
    struct http_reply *);
/* A current password as typed: 1 to 128 bytes, as at log-in. */
bool api_account_current_password(const cJSON *body, const char *key,
    const char **out, struct http_reply *);
/* Wipe the named string members (passwords, codes) before the tree is
 * freed; the list ends with NULL. */
void api_account_wipe(cJSON *body, const char *const *keys);
/* The reply for a code that did not match: wrong_code (422, field,
 * params.remaining), code_void (410) or code_expired (410). */
void api_account_code_error(struct http_reply *,
    const struct store_code_check *, const char *field);
/* The reply for a locked account (423, params.until). */
void api_account_locked(struct http_reply *, long long until);
/* A mail's params as JSON text, from pairs of key and string value
 * ending with NULL; malloc'd. */
char *api_account_params(const char *key, ...);
/* Prove a user ID (in any case) and its password as log-in and A3 do:
 * true with *u filled when they are right for an account that is not
 * locked; else false with the reply filled (401 invalid_credentials,
 * 423 account_locked, 503, 500), the same for unknown IDs, which are
 * counted and locked like known ones, and always after one password
 * hash.  The caller clears *u either way.  api_login.c. */
bool api_login_prove(const struct api_ctx *, const char *user_id,
    const char *password, time_t now, struct store_user *u,
    struct http_reply *);
/* A wrong current password for an existing user: count it towards the
 * lockout like a failed log-in (003 §2.2) and fill the reply (401, or
 * 423 when this failure locks); api_session.c. */
void api_session_failed(const struct api_ctx *, const struct store_user *,
    time_t now, struct http_reply *);
/* Set a new password once the current one is proved (A3, L3, M4):
 * every session ends but keep (a token hash, or NULL), a
 * password_changed mail is queued; answers 200 {}.  api_recovery.c. */
void api_recovery_apply(const struct api_ctx *, const struct store_user *,
    const char *password, const char *lang, const unsigned char *keep,
    struct http_reply *);
/* GET /api/v1/me's body for a user and the session asking. */
cJSON *api_me_json(const struct api_ctx *, const struct store_user *,
    const struct store_session *);
/* Answer 200 with the session's user as GET /api/v1/me shows it. */
void api_me_reply(const struct api_ctx *, const struct store_session *,
    struct http_reply *);

#endif
