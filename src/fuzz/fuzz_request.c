/* libFuzzer target: the request-reading path every handler shares.  The
 * input is taken three ways: as a request body (json_parse_object with
 * its strict grammar check, json_check_fields, json_get_*, then the field
 * rules on every string member), as raw text for the field rules, and as
 * a request path for route matching.  Built by --enable-fuzzing only. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http_path.h"
#include "jsonutil.h"
#include "validate.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every member name docs/api.md lists, as one allowed list. */
static const char *const fuzz_members[] = {
	"user_id", "password", "lang", "email", "email_confirm",
	"registration", "code", "type", "password_confirm", "family_name",
	"given_name", "family_name_kana", "given_name_kana", "postal_code",
	"address", "phone", "birth_date", "gender", "notify_mail",
	"corporation_name", "corporation_name_kana", "representative",
	"department", "contact_name", "contact_birth_date", "name_latin",
	"key", "new_password", "new_password_confirm", "current_password",
	"new_email", "new_email_confirm", "bulk_user_id", "kind", "name",
	"name_kana", "notify_email", "notify_email_confirm", "page",
	"per_page", NULL
};

/* Route patterns of the shapes http.h allows, "{}" ones included. */
static const char *const fuzz_routes[] = {
	"/api/v1/info", "/api/v1/session", "/api/v1/notices/{}",
	"/api/v1/me/receipts/{}/register", "/api/v1/{}", "{}", NULL
};

static const char *const fuzz_choices[] = {
	"male", "female", "unspecified", NULL
};

/* Every field rule on one NUL-terminated, valid UTF-8 string. */
static void
fuzz_rules(const char *s)
{
	static const struct password_policy lgpos = { 8, 64, 2, "" };
	static const struct password_policy strict = { 12, 128, 4, "!#$%&" };

	(void)utf8_length(s);
	(void)validate_password(&lgpos, s);
	(void)validate_password(&strict, s);
	(void)validate_email(s);
	(void)validate_user_id(s);
	(void)validate_name(s, 64);
	(void)validate_katakana(s, 64);
	(void)validate_latin_name(s, 104);
	(void)validate_phone(s);
	(void)validate_postal_code(s);
	(void)validate_date(s, "2025-07-23");
	(void)validate_choice(s, fuzz_choices);
}

/* The input as a request body, as api_body and the handlers read it. */
static void
fuzz_body(const char *body, size_t len)
{
	const char *field = NULL;
	cJSON *obj = NULL;

	if (json_parse_object(body, len, &obj) != ERR_NONE) {
		/* A refusal must leave nothing behind. */
		if (obj != NULL)
			abort();
		return;
	}
	(void)json_check_fields(obj, fuzz_members, &field);
	for (const char *const *m = fuzz_members; *m != NULL; m++) {
		const char *s = NULL;
		long long n = 0;

		if (json_get_string(obj, *m, true, 1024, &s) == ERR_NONE) {
			/* The parser has checked UTF-8: the rules may rely on it. */
			if (s == NULL || !utf8_valid(s, strlen(s)))
				abort();
			fuzz_rules(s);
		}
		(void)json_get_int(obj, *m, false, &n);
		(void)json_string_or(obj, *m, "");
		(void)json_int_or(obj, *m, 0);
	}
	cJSON_Delete(obj);
}

/* The input as a request path, against every route pattern. */
static void
fuzz_path(const char *path)
{
	for (const char *const *r = fuzz_routes; *r != NULL; r++) {
		char *param = NULL;

		if (http_path_match(*r, path, &param)) {
			if (strstr(*r, "{}") != NULL && (param == NULL ||
			    *param == '\0' || strchr(param, '/') != NULL))
				abort();
		} else if (param != NULL)
			abort();
		free(param);
	}
}

/* libFuzzer's entry point. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, NUL-terminated as libmicrohttpd hands bodies over,
	 * so that a read past the input's end is caught by ASan. */
	char *text = xmalloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_body(text, size);
	fuzz_path(text);
	if (utf8_valid(text, strlen(text)))
		fuzz_rules(text);
	free(text);
	return 0;
}
