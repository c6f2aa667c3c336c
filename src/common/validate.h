/* Field rules shared by client and service, so that what the client
 * checks as a person leaves a field is exactly what the service enforces.
 * Each check returns ERR_NONE or a rule code with its parameters. */
#ifndef MADOGUCHI_VALIDATE_H
#define MADOGUCHI_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "errcode.h"

/* What a failed rule reports: the code and, for length and class rules,
 * the limit that was not met. */
struct verdict {
	enum errcode code;
	long min;
	long max;
};

/* A profile's password policy, as the service publishes it in
 * GET /api/v1/info.  An empty symbols means any printable ASCII symbol. */
struct password_policy {
	int min_length;
	int max_length;
	int min_classes;	/* of upper, lower, digit, symbol */
	char symbols[64];
};

/* Byte-exact UTF-8 check: no overlongs, surrogates or values past U+10FFFF. */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s);
/* The bytes of the valid UTF-8 sequence that starts s (a C string),
 * with its code point in *cp; 0 when s starts with a byte that begins
 * no valid sequence. */
size_t utf8_decode(const char *s, unsigned long *cp);

/* Password against a profile policy (001 table, 003 §3). */
struct verdict validate_password(const struct password_policy *, const char *);
/* E-mail address rules of 001 FAQ. */
struct verdict validate_email(const char *);
/* A user ID as typed at log-in: 1 to 256 printable ASCII characters. */
struct verdict validate_user_id(const char *);
/* True for a code point that shows nothing or changes how the text
 * around it shows: C0 and C1 controls, zero-width and bidirectional
 * format characters, tags, noncharacters (the rule of every name and
 * free-text field, and what the service's admin commands escape). */
bool validate_char_hidden(unsigned long codepoint);
/* A person's name or a line of free text (an address, a department):
 * 1 to max code points of valid UTF-8, none of them hidden
 * (bad_characters), not only spaces of any width (required). */
struct verdict validate_name(const char *, long max);
/* Name in katakana (000 ⑤ 氏名カナ): full-width katakana, the long-vowel
 * mark, the middle dot and spaces; 1 to max characters, at least one of
 * them a katakana letter (only spaces: required; only marks:
 * bad_characters). */
struct verdict validate_katakana(const char *, long max);
/* Name in Latin capitals (003 §3, §2.4): A-Z in words separated by single
 * spaces, 1 to max characters (104 in the manual). */
struct verdict validate_latin_name(const char *, long max);
/* Telephone number, digits only (003 §6.3 "ハイフンなし"): 10 or 11
 * digits, as Japanese fixed and mobile numbers have. */
struct verdict validate_phone(const char *);
/* Postal code: exactly 7 digits (000 ⑤). */
struct verdict validate_postal_code(const char *);
/* A date "YYYY-MM-DD" that exists, from 1900-01-01 up to today (given as
 * "YYYY-MM-DD" too, so that tests choose the day). */
struct verdict validate_date(const char *, const char *today);
/* One of the NULL-terminated choices. */
struct verdict validate_choice(const char *, const char *const *choices);

#endif
