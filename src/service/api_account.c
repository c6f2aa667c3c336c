/* Helpers shared by the account endpoints. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_account.h"
#include "jsonutil.h"
#include "lang.h"
#include "pwcheck.h"
#include "reply.h"
#include "xmalloc.h"

/* docs/api.md: a password as typed at log-in is 1 to 128 bytes. */
#define CURRENT_PASSWORD_MAX 128

/* A string member, with the reply filled on failure. */
bool
api_account_string(const cJSON *body, const char *key, bool required,
    const char **out, struct http_reply *r)
{
	enum errcode code = json_get_string(body, key, required, SIZE_MAX,
	    out);

	if (code != ERR_NONE) {
		api_field_error(r, code, key);
		return false;
	}
	return true;
}

/* An optional lang. */
bool
api_account_lang(const cJSON *body, const char *def, const char **out,
    struct http_reply *r)
{
	if (!api_account_string(body, "lang", false, out, r))
		return false;
	if (*out == NULL)
		*out = def;
	else if (!lang_known(*out)) {
		reply_error(r, ERR_BAD_FORMAT, "lang", NULL,
		    "lang must be one of the service's languages");
		return false;
	}
	return true;
}

/* An address typed twice (000 ⑦, R3). */
bool
api_account_email_pair(const cJSON *body, const char *key,
    const char *confirm_key, const char **out, struct http_reply *r)
{
	const char *confirm;
	struct verdict v;

	if (!api_account_string(body, key, true, out, r) ||
	    !api_account_string(body, confirm_key, true, &confirm, r))
		return false;
	if ((v = validate_email(*out)).code != ERR_NONE) {
		api_verdict_error(r, key, v);
		return false;
	}
	if (strcmp(*out, confirm) != 0) {
		reply_error(r, ERR_MISMATCH, confirm_key, NULL,
		    "%s differs from %s", confirm_key, key);
		return false;
	}
	return true;
}

/* A new password typed twice. */
bool
api_account_new_password(const struct api_ctx *ctx, const cJSON *body,
    const char *key, const char *confirm_key, const char **out,
    struct http_reply *r)
{
	const char *confirm;
	struct verdict v;

	if (!api_account_string(body, key, true, out, r) ||
	    !api_account_string(body, confirm_key, true, &confirm, r))
		return false;
	v = pwcheck_new(&ctx->cfg->policy, *out);
	if (v.code == ERR_COMMON_PASSWORD) {
		reply_error(r, v.code, key, NULL,
		    "%s is too common or too easy to guess", key);
		return false;
	}
	if (v.code == ERR_INTERNAL) {
		reply_error(r, v.code, NULL, NULL,
		    "the password check failed");
		return false;
	}
	if (v.code != ERR_NONE) {
		api_verdict_error(r, key, v);
		return false;
	}
	if (strcmp(*out, confirm) != 0) {
		reply_error(r, ERR_MISMATCH, confirm_key, NULL,
		    "%s differs from %s", confirm_key, key);
		return false;
	}
	return true;
}

/* A current password: the policy is not applied (it may have changed). */
bool
api_account_current_password(const cJSON *body, const char *key,
    const char **out, struct http_reply *r)
{
	struct verdict v = { ERR_NONE, 1, CURRENT_PASSWORD_MAX };
	size_t len;

	if (!api_account_string(body, key, true, out, r))
		return false;
	len = strlen(*out);
	if (len == 0 || len > CURRENT_PASSWORD_MAX) {
		v.code = len == 0 ? ERR_REQUIRED : ERR_TOO_LONG;
		api_verdict_error(r, key, v);
		return false;
	}
	return true;
}

/* Wipe secret members in place. */
void
api_account_wipe(cJSON *body, const char *const *keys)
{
	for (; body != NULL && *keys != NULL; keys++) {
		cJSON *item = cJSON_GetObjectItemCaseSensitive(body, *keys);

		if (cJSON_IsString(item) && item->valuestring != NULL)
			wipe(item->valuestring, strlen(item->valuestring));
	}
}

/* The reply for a code that did not match. */
void
api_account_code_error(struct http_reply *r,
    const struct store_code_check *c, const char *field)
{
	cJSON *params;

	switch (c->result) {
	case STORE_CODE_WRONG:
		params = cJSON_CreateObject();
		cJSON_AddNumberToObject(params, "remaining",
		    (double)c->remaining);
		reply_error(r, ERR_WRONG_CODE, field, params,
		    "the code is wrong; %ld tries remain", c->remaining);
		break;
	case STORE_CODE_VOID:
		reply_error(r, ERR_CODE_VOID, field, NULL,
		    "too many wrong codes; start again");
		break;
	default:
		reply_error(r, ERR_CODE_EXPIRED, field, NULL,
		    "the code has expired or was used; start again");
		break;
	}
}

/* 423 with the end of the lock (003 §2.2). */
void
api_account_locked(struct http_reply *r, long long until)
{
	cJSON *params = cJSON_CreateObject();

	cJSON_AddNumberToObject(params, "until", (double)until);
	reply_error(r, ERR_ACCOUNT_LOCKED, NULL, params,
	    "too many failed log-ins; locked until %lld", until);
}

/* Mail params from key/value pairs. */
char *
api_account_params(const char *key, ...)
{
	cJSON *p = cJSON_CreateObject();
	va_list ap;
	char *text;

	va_start(ap, key);
	for (; key != NULL; key = va_arg(ap, const char *))
		cJSON_AddStringToObject(p, key, va_arg(ap, const char *));
	va_end(ap);
	text = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	if (text == NULL)
		text = xstrdup("{}");
	return text;
}

