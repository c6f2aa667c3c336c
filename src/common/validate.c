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

/* See validate.h. */
size_t
utf8_decode(const char *s, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = u[0] < 0x80 ? 1 : u[0] >= 0xc2 && u[0] <= 0xdf ? 2 :
	    u[0] >= 0xe0 && u[0] <= 0xef ? 3 : u[0] >= 0xf0 && u[0] <= 0xf4 ?
	    4 : 0;

	if (n == 0 || strnlen(s, n) < n || !utf8_valid(s, n))
		return 0;
	*cp = n == 1 ? u[0] : u[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		*cp = (*cp << 6) | (u[i] & 0x3f);
	return n;
}

/* The next code point of valid UTF-8 at *p, advancing *p. */
static unsigned long
utf8_next(const char **p)
{
	unsigned long cp = 0xfffd;
	size_t n = utf8_decode(*p, &cp);

	*p += n > 0 ? n : 1;
	return cp;
}

/* Format characters that draw nothing (or hide what follows) and
 * characters that are not text: a name made of them looks empty or
 * different from what is stored, and they reach mails and operators'
 * terminals (issue 9).  Variation selectors (U+FE00.., U+E0100..) stay
 * allowed: Japanese names need ideographic variation sequences. */
bool
validate_char_hidden(unsigned long c)
{
	/* C0, DEL and C1 controls (U+0085 NEL, U+009B CSI...). */
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return true;
	/* Soft hyphen, combining grapheme joiner, Arabic letter mark,
	 * Hangul and Khmer fillers, Mongolian vowel separator. */
	if (c == 0xad || c == 0x34f || c == 0x61c || c == 0x115f ||
	    c == 0x1160 || c == 0x17b4 || c == 0x17b5 || c == 0x180e ||
	    c == 0x3164 || c == 0xffa0)
		return true;
	/* Zero-width space, non-joiner, joiner, LRM, RLM; line and
	 * paragraph separators; bidirectional embeddings and overrides
	 * (U+202A..U+202E); word joiner, invisible operators, isolates
	 * (U+2066..U+2069) and the deprecated format characters. */
	if ((c >= 0x200b && c <= 0x200f) || c == 0x2028 || c == 0x2029 ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f))
		return true;
	/* Byte-order mark (zero-width no-break space), interlinear
	 * annotation, shorthand and musical format controls. */
	if (c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
	    (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0x1d173 && c <= 0x1d17a))
		return true;
	/* Tag characters (U+E0000..U+E007F). */
	if (c >= 0xe0000 && c <= 0xe007f)
		return true;
	/* Noncharacters: U+FDD0..U+FDEF and the last two of every plane. */
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return true;
	return false;
}

/* Spaces of every width: a name of only these is as good as empty. */
static bool
validate_char_space(unsigned long c)
{
	return c == 0x20 || c == 0xa0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

/* Refuse hidden characters, then text that is only spaces (required,
 * as for an empty field); s is valid UTF-8. */
static struct verdict
validate_visible(const char *s)
{
	bool blank = true;

	for (const char *p = s; *p != '\0';) {
		unsigned long c = utf8_next(&p);

		if (validate_char_hidden(c))
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
		if (!validate_char_space(c))
			blank = false;
	}
	return verdict_make(blank ? ERR_REQUIRED : ERR_NONE, 0, 0);
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
	return validate_visible(name);
}

struct verdict
validate_katakana(const char *s, long max)
{
	size_t len = strlen(s);
	bool letters = false, marks = false;

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	if (!utf8_valid(s, len))
		return verdict_make(ERR_INVALID_ENCODING, 0, 0);
	if ((long)utf8_length(s) > max)
		return verdict_make(ERR_TOO_LONG, 1, max);
	for (const char *p = s; *p != '\0';) {
		unsigned long c = utf8_next(&p);

		/* ァ..ヺ, ・, ー, ASCII and ideographic space. */
		if (c >= 0x30a1 && c <= 0x30fa)
			letters = true;
		else if (c == 0x20 || c == 0x3000)
			continue;
		else if (c == 0x30fb || c == 0x30fc)
			marks = true;
		else
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
	}
	/* Spaces alone are an empty field; the middle dot and the long
	 * vowel mark alone are no reading of a name. */
	if (!letters)
		return verdict_make(marks ? ERR_BAD_CHARACTERS : ERR_REQUIRED,
		    0, 0);
	return verdict_make(ERR_NONE, 0, 0);
}

struct verdict
validate_latin_name(const char *s, long max)
{
	long len = (long)strlen(s);

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	if (len > max)
		return verdict_make(ERR_TOO_LONG, 1, max);
	for (long i = 0; i < len; i++) {
		if (s[i] == ' ') {
			/* Words are separated by one space, no space at the
			 * ends. */
			if (i == 0 || i == len - 1 || s[i + 1] == ' ')
				return verdict_make(ERR_BAD_FORMAT, 0, 0);
		} else if (s[i] < 'A' || s[i] > 'Z')
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
	}
	return verdict_make(ERR_NONE, 0, 0);
}

/* Digits only, between min and max of them. */
static struct verdict
validate_digits(const char *s, long min, long max)
{
	long len = (long)strlen(s);

	if (len == 0)
		return verdict_make(ERR_REQUIRED, 0, 0);
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return verdict_make(ERR_BAD_CHARACTERS, 0, 0);
	}
	if (len < min)
		return verdict_make(ERR_TOO_SHORT, min, max);
	if (len > max)
		return verdict_make(ERR_TOO_LONG, min, max);
	return verdict_make(ERR_NONE, 0, 0);
}

struct verdict
validate_phone(const char *s)
{
	return validate_digits(s, 10, 11);
}

struct verdict
validate_postal_code(const char *s)
{
	return validate_digits(s, 7, 7);
}

/* Parse "YYYY-MM-DD" into a comparable number YYYYMMDD, or -1. */
static long
date_parse(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d, mdays;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12)
		return -1;
	mdays = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		mdays = 29;
	if (d < 1 || d > mdays)
		return -1;
	return (long)y * 10000 + m * 100 + d;
}

struct verdict
validate_date(const char *s, const char *today)
{
	long v, t;

	if (*s == '\0')
		return verdict_make(ERR_REQUIRED, 0, 0);
	if ((v = date_parse(s)) < 0)
		return verdict_make(ERR_BAD_FORMAT, 0, 0);
	t = date_parse(today);
	if (v < 19000101 || (t > 0 && v > t))
		return verdict_make(ERR_BAD_FORMAT, 0, 0);
	return verdict_make(ERR_NONE, 0, 0);
}

struct verdict
validate_choice(const char *s, const char *const *choices)
{
	if (*s == '\0')
		return verdict_make(ERR_REQUIRED, 0, 0);
	for (; *choices != NULL; choices++) {
		if (strcmp(s, *choices) == 0)
			return verdict_make(ERR_NONE, 0, 0);
	}
	return verdict_make(ERR_BAD_FORMAT, 0, 0);
}
