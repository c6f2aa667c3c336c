/* Field rules shared by client and service. */
#include "config.h"

#include <string.h>

#include "validate.h"

static struct verdict
verdict_make(enum errcode code, long min, long max)
{
	struct verdict v = { code, min, max };

	return v;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;

	while (p < end) {
		unsigned int c = *p, need, cp, min;

		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else
			return false;
		if ((size_t)(end - p) <= need)
			return false;
		for (unsigned int i = 1; i <= need; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += need + 1;
	}
	return true;
}

size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

static bool
is_ascii_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static bool
is_ascii_symbol(int c)
{
	return c > 0x20 && c < 0x7f && !is_ascii_alnum(c);
}

struct verdict
validate_password(const struct password_policy *pol, const char *pw)
{
	bool upper = false, lower = false, digit = false, symbol = false;
	long len = (long)strlen(pw);
	int classes;

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	for (const char *p = pw; *p != '\0'; p++) {
		int c = (unsigned char)*p;

		if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else if (is_ascii_symbol(c) && (pol->symbols[0] == '\0' ||
		    strchr(pol->symbols, c) != NULL))
			symbol = true;
		else
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
	}
	if (len < pol->min_length)
		return verdict_make(ERR_TOO_SHORT, pol->min_length, pol->max_length);
	if (pol->max_length > 0 && len > pol->max_length)
		return verdict_make(ERR_TOO_LONG, pol->min_length, pol->max_length);
	classes = upper + lower + digit + symbol;
	if (classes < pol->min_classes)
		return verdict_make(ERR_TOO_FEW_CLASSES, pol->min_classes, 4);
	return verdict_make(ERR_NONE, 0, 0);
}

/* 001 FAQ: letters, digits and these symbols before the @. */
static const char email_local_symbols[] = "!#$%&'*+-/=?^_`{|}~.";

struct verdict
validate_email(const char *addr)
{
	const char *at = strrchr(addr, '@');
	size_t len = strlen(addr);
	const char *label;

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	/* 001 FAQ 4: 256 characters or more is refused. */
	if (len >= 256)
		return verdict_make(ERR_TOO_LONG, 0, 255);
	if (at == NULL || at == addr || at[1] == '\0')
		return verdict_make(ERR_BAD_EMAIL, 0, 0);
	if (strstr(addr, "..") != NULL)
		return verdict_make(ERR_BAD_EMAIL, 0, 0);
	/* 001 FAQ 3: the first character and the one before @ are alnum. */
	if (!is_ascii_alnum((unsigned char)addr[0]) ||
	    !is_ascii_alnum((unsigned char)at[-1]))
		return verdict_make(ERR_BAD_EMAIL, 0, 0);
	for (const char *p = addr; p < at; p++) {
		int c = (unsigned char)*p;

		if (!is_ascii_alnum(c) && strchr(email_local_symbols, c) == NULL)
			return verdict_make(ERR_BAD_EMAIL, 0, 0);
	}
	/* Domain: dot-separated labels of letters, digits and inner hyphens,
	 * at least two labels. */
	label = at + 1;
	if (strchr(label, '.') == NULL)
		return verdict_make(ERR_BAD_EMAIL, 0, 0);
	for (const char *p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || label[0] == '-' || p[-1] == '-')
				return verdict_make(ERR_BAD_EMAIL, 0, 0);
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!is_ascii_alnum((unsigned char)*p) && *p != '-')
			return verdict_make(ERR_BAD_EMAIL, 0, 0);
	}
	return verdict_make(ERR_NONE, 0, 0);
}

struct verdict
validate_user_id(const char *id)
{
	size_t len = strlen(id);

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	if (len > 256)
		return verdict_make(ERR_TOO_LONG, 1, 256);
	for (const char *p = id; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
	}
	return verdict_make(ERR_NONE, 0, 0);
}

struct verdict
validate_name(const char *name, long max)
{
	size_t len = strlen(name);

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	if (!utf8_valid(name, len))
		return verdict_make(ERR_INVALID_ENCODING, 0, 0);
	if ((long)utf8_length(name) > max)
		return verdict_make(ERR_TOO_LONG, 1, max);
	for (const char *p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
	}
	return verdict_make(ERR_NONE, 0, 0);
}
