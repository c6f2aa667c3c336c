/* Error codes shared by service and client.
 *
 * The service answers every failure with an HTTP status and one of these
 * codes by name (docs/api.md); the client maps codes to translated
 * messages and never shows the service's own English text.  Codes in the
 * "client" block never travel over the wire: they name faults the client
 * meets on its own (network, certificate, malformed answer). */
#ifndef MADOGUCHI_ERRCODE_H
#define MADOGUCHI_ERRCODE_H

enum errcode {
	ERR_NONE = 0,

	/* Request shape. */
	ERR_MALFORMED_JSON,
	ERR_INVALID_ENCODING,
	ERR_BODY_TOO_LARGE,
	ERR_UNSUPPORTED_MEDIA_TYPE,
	ERR_UNKNOWN_FIELD,
	ERR_MISSING_FIELD,
	ERR_WRONG_TYPE,
	ERR_NOT_FOUND,
	ERR_METHOD_NOT_ALLOWED,

	/* Field rules (validate.h). */
	ERR_REQUIRED,
	ERR_TOO_SHORT,
	ERR_TOO_LONG,
	ERR_BAD_CHARACTERS,
	ERR_TOO_FEW_CLASSES,
	ERR_BAD_EMAIL,
	ERR_MISMATCH,
	ERR_BAD_FORMAT,
	ERR_COMMON_PASSWORD,
	ERR_SAME_PASSWORD,

	/* One-time codes and keys (R4, A2, M3, M6). */
	ERR_WRONG_CODE,
	ERR_CODE_EXPIRED,
	ERR_CODE_VOID,

	/* State. */
	ERR_ALREADY_REGISTERED,
	ERR_NOT_AVAILABLE,

	/* Authentication. */
	ERR_INVALID_CREDENTIALS,
	ERR_ACCOUNT_LOCKED,
	ERR_PASSWORD_EXPIRED,
	ERR_UNAUTHORIZED,
	ERR_SESSION_EXPIRED,

	/* Limits (docs/api.md "Limits"). */
	ERR_RATE_LIMITED,
	ERR_URI_TOO_LONG,
	ERR_HEADERS_TOO_LARGE,

	/* Service faults. */
	ERR_SERVICE_BUSY,
	ERR_STORAGE_FULL,
	ERR_INTERNAL,

	/* Client only. */
	ERR_NET_UNREACHABLE,
	ERR_NET_TIMEOUT,
	ERR_NET_CERT_UNTRUSTED,
	ERR_NET_TLS,
	ERR_NET_BAD_RESPONSE,
	ERR_NET_CANCELLED,
	ERR_NET_CUT,
	ERR_NET_OTHER,
	ERR_NET_NO_LIBRARY,	/* libcurl could not be loaded */
	/* What a field refused as it was typed into (000 ⑦, 003 §6.3). */
	ERR_NO_PASTE,		/* a paste into a field that must be typed */
	ERR_TYPED_TOO_FAST,	/* keys faster than anyone types: a paste */
	ERR_DIGITS_ONLY,	/* a key other than a digit */

	ERR__COUNT
};

/* Stable wire name, e.g. "invalid_credentials". */
const char *errcode_name(enum errcode);
/* Code for a wire name; ERR_NET_BAD_RESPONSE for an unknown one. */
enum errcode errcode_from_name(const char *);
/* HTTP status the service answers with for this code. */
int errcode_http_status(enum errcode);

#endif
