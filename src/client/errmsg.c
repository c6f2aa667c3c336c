/* Person-facing messages for error codes. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "datefmt.h"
#include "errmsg.h"
#include "i18n.h"
#include "xmalloc.h"

/* A sentence for codes that carry no numbers. */
static const char *
errmsg_plain(enum errcode code)
{
	switch (code) {
	case ERR_NONE:
		return "";
	case ERR_MALFORMED_JSON:
	case ERR_UNKNOWN_FIELD:
	case ERR_MISSING_FIELD:
	case ERR_WRONG_TYPE:
	case ERR_UNSUPPORTED_MEDIA_TYPE:
	case ERR_NOT_FOUND:
	case ERR_METHOD_NOT_ALLOWED:
	case ERR_URI_TOO_LONG:
	case ERR_HEADERS_TOO_LARGE:
		/* L10N: the service did not understand what the client sent;
		   a fault in this program, not the person's. */
		return _("The service could not process the request. Please tell the staff.");
	case ERR_INVALID_ENCODING:
		return _("The text contains characters that cannot be used.");
	case ERR_BODY_TOO_LARGE:
		return _("The entry is too long to send.");
	case ERR_REQUIRED:
		return _("This item is required.");
	case ERR_BAD_CHARACTERS:
		return _("Contains characters that cannot be used here.");
	case ERR_BAD_EMAIL:
		return _("This is not a valid e-mail address.");
	case ERR_MISMATCH:
		return _("The two entries do not match.");
	case ERR_BAD_FORMAT:
		return _("The entry is not in the required form.");
	case ERR_COMMON_PASSWORD:
		return _("This password is too easy to guess. Choose another.");
	case ERR_SAME_PASSWORD:
		return _("The new password must differ from the current one.");
	case ERR_CODE_EXPIRED:
		return _("The code has expired. Please start again.");
	case ERR_CODE_VOID:
		return _("The code was entered wrongly too many times. Please start again.");
	case ERR_ALREADY_REGISTERED:
		return _("This has already been registered.");
	case ERR_NOT_AVAILABLE:
		return _("This service does not offer that.");
	case ERR_INVALID_CREDENTIALS:
		return _("The user ID or password is incorrect.");
	case ERR_PASSWORD_EXPIRED:
		return _("Your password has expired. Please change it.");
	case ERR_UNAUTHORIZED:
		return _("You are not logged in. Please log in again.");
	case ERR_SESSION_EXPIRED:
		return _("You were logged out because there was no activity for a long time.");
	case ERR_SERVICE_BUSY:
		return _("The service is busy. Please try again in a moment.");
	case ERR_STORAGE_FULL:
		/* L10N: the service's disk is full; reading still works. */
		return _("The service cannot save anything at the moment, so nothing was changed. Please tell the staff.");
	case ERR_INTERNAL:
		return _("The service had a problem and nothing was changed. Please try again later.");
	case ERR_NET_UNREACHABLE:
		return _("The service cannot be reached. Check the network, then try again.");
	case ERR_NET_TIMEOUT:
		return _("The service did not answer in time. Your entries are kept; try again.");
	case ERR_NET_CERT_UNTRUSTED:
		return _("The service's certificate is not trusted, so no data was sent. Please tell the staff.");
	case ERR_NET_TLS:
		return _("A secure connection to the service could not be made. Please tell the staff.");
	case ERR_NET_BAD_RESPONSE:
		return _("The service sent an answer this program does not understand. Please try again.");
	case ERR_NET_CANCELLED:
		return _("Cancelled. Nothing was sent.");
	case ERR_NET_CUT:
		/* L10N: the connection broke after the request was sent; a
		   change may or may not have been made. */
		return _("The connection to the service was cut before it answered. Please try again.");
	case ERR_NET_NO_LIBRARY:
		/* L10N: libcurl, which the program loads to talk to the
		   service, is missing or broken on this terminal; only the
		   staff can install it. */
		return _("This terminal cannot connect to the service: a part of the program (libcurl) is missing. Please tell the staff.");
	case ERR_NO_PASTE:
		/* L10N: 000 ⑦: confirmation fields must be typed. */
		return _("This item must be typed; pasting is not allowed.");
	case ERR_TYPED_TOO_FAST:
		/* L10N: several characters arrived at once, as a paste does
		   on a terminal that does not mark pastes; the confirmation
		   must be typed (000 ⑦). */
		return _("The characters arrived all at once, as pasted text does. This item must be typed one key at a time.");
	case ERR_DIGITS_ONLY:
		/* L10N: a phone number or postal code field refused a key. */
		return _("Only digits can be entered here.");
	default:
		return _("Something went wrong. Please try again.");
	}
}

char *
errmsg_text(enum errcode code, const struct errparams *params,
    const char *field_label)
{
	static const struct errparams none;
	char *sentence, *out;

	if (params == NULL)
		params = &none;
	switch (code) {
	case ERR_TOO_SHORT:
		xasprintf(&sentence, ngettext("Enter at least %ld character.",
		    "Enter at least %ld characters.", params->min), params->min);
		break;
	case ERR_TOO_LONG:
		xasprintf(&sentence, ngettext("Enter at most %ld character.",
		    "Enter at most %ld characters.", params->max), params->max);
		break;
	case ERR_TOO_FEW_CLASSES:
		xasprintf(&sentence, ngettext(
		    "Use at least %ld kind of character: upper case, lower case, digits, symbols.",
		    "Use at least %ld kinds of character: upper case, lower case, digits, symbols.",
		    params->min), params->min);
		break;
	case ERR_WRONG_CODE:
		xasprintf(&sentence, ngettext(
		    "The code is not correct. %ld try remains.",
		    "The code is not correct. %ld tries remain.",
		    params->remaining), params->remaining);
		break;
	case ERR_RATE_LIMITED: {
		/* Whole minutes, rounded up: a wait the person can plan. */
		long minutes = params->retry_after > 0 ?
		    (params->retry_after + 59) / 60 : 1;

		xasprintf(&sentence, ngettext(
		    "Too many attempts. Please try again in %ld minute.",
		    "Too many attempts. Please try again in %ld minutes.",
		    minutes), minutes);
		break;
	}
	case ERR_ACCOUNT_LOCKED: {
		char when[64] = "";
		time_t t = (time_t)params->until;
		struct tm tm;

		if (t > 0 && localtime_r(&t, &tm) != NULL)
			/* L10N: strftime format of the time a lock ends. */
			datefmt(when, sizeof when, _("%Y-%m-%d %H:%M"), &tm);
		if (when[0] != '\0')
			xasprintf(&sentence, _("This account is locked after too many failed log-ins, until %s. Resetting the password unlocks it."), when);
		else
			sentence = xstrdup(_("This account is locked after too many failed log-ins. Resetting the password unlocks it."));
		break;
	}
	default:
		sentence = xstrdup(errmsg_plain(code));
		break;
	}
	if (field_label == NULL || *field_label == '\0')
		return sentence;
	/* L10N: a field's label, then what is wrong with it. */
	xasprintf(&out, _("%s: %s"), field_label, sentence);
	free(sentence);
	return out;
}
