/* The table of error codes: wire names and HTTP statuses. */
#include "config.h"

#include <string.h>

#include "errcode.h"

static const struct {
	const char *name;
	int status;
} errcode_table[ERR__COUNT] = {
	[ERR_NONE] = { "none", 200 },
	[ERR_MALFORMED_JSON] = { "malformed_json", 400 },
	[ERR_INVALID_ENCODING] = { "invalid_encoding", 400 },
	[ERR_BODY_TOO_LARGE] = { "body_too_large", 413 },
	[ERR_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type", 415 },
	[ERR_UNKNOWN_FIELD] = { "unknown_field", 400 },
	[ERR_MISSING_FIELD] = { "missing_field", 400 },
	[ERR_WRONG_TYPE] = { "wrong_type", 400 },
	[ERR_NOT_FOUND] = { "not_found", 404 },
	[ERR_METHOD_NOT_ALLOWED] = { "method_not_allowed", 405 },
	[ERR_REQUIRED] = { "required", 422 },
	[ERR_TOO_SHORT] = { "too_short", 422 },
	[ERR_TOO_LONG] = { "too_long", 422 },
	[ERR_BAD_CHARACTERS] = { "bad_characters", 422 },
	[ERR_TOO_FEW_CLASSES] = { "too_few_classes", 422 },
	[ERR_BAD_EMAIL] = { "bad_email", 422 },
	[ERR_MISMATCH] = { "mismatch", 422 },
	[ERR_BAD_FORMAT] = { "bad_format", 422 },
	[ERR_COMMON_PASSWORD] = { "common_password", 422 },
	[ERR_SAME_PASSWORD] = { "same_password", 422 },
	[ERR_WRONG_CODE] = { "wrong_code", 422 },
	[ERR_CODE_EXPIRED] = { "code_expired", 410 },
	[ERR_CODE_VOID] = { "code_void", 410 },
	[ERR_ALREADY_REGISTERED] = { "already_registered", 409 },
	[ERR_NOT_AVAILABLE] = { "not_available", 404 },
	[ERR_INVALID_CREDENTIALS] = { "invalid_credentials", 401 },
	[ERR_ACCOUNT_LOCKED] = { "account_locked", 423 },
	[ERR_PASSWORD_EXPIRED] = { "password_expired", 403 },
	[ERR_UNAUTHORIZED] = { "unauthorized", 401 },
	[ERR_SESSION_EXPIRED] = { "session_expired", 401 },
	[ERR_RATE_LIMITED] = { "rate_limited", 429 },
	[ERR_URI_TOO_LONG] = { "uri_too_long", 414 },
	[ERR_HEADERS_TOO_LARGE] = { "headers_too_large", 431 },
	[ERR_SERVICE_BUSY] = { "service_busy", 503 },
	[ERR_STORAGE_FULL] = { "storage_full", 503 },
	[ERR_INTERNAL] = { "internal_error", 500 },
	[ERR_NET_UNREACHABLE] = { "net_unreachable", 0 },
	[ERR_NET_TIMEOUT] = { "net_timeout", 0 },
	[ERR_NET_CERT_UNTRUSTED] = { "net_cert_untrusted", 0 },
	[ERR_NET_TLS] = { "net_tls", 0 },
	[ERR_NET_BAD_RESPONSE] = { "net_bad_response", 0 },
	[ERR_NET_CANCELLED] = { "net_cancelled", 0 },
	[ERR_NET_CUT] = { "net_cut", 0 },
	[ERR_NET_OTHER] = { "net_other", 0 },
	[ERR_NET_NO_LIBRARY] = { "net_no_library", 0 },
	[ERR_NO_PASTE] = { "no_paste", 0 },
	[ERR_TYPED_TOO_FAST] = { "typed_too_fast", 0 },
	[ERR_DIGITS_ONLY] = { "digits_only", 0 },
};

const char *
errcode_name(enum errcode code)
{
	if (code < 0 || code >= ERR__COUNT)
		return "internal_error";
	return errcode_table[code].name;
}

enum errcode
errcode_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return ERR_NET_BAD_RESPONSE;
	for (i = 1; i < ERR__COUNT; i++) {
		if (strcmp(errcode_table[i].name, name) == 0)
			return (enum errcode)i;
	}
	return ERR_NET_BAD_RESPONSE;
}

int
errcode_http_status(enum errcode code)
{
	if (code <= 0 || code >= ERR__COUNT || errcode_table[code].status == 0)
		return 500;
	return errcode_table[code].status;
}
