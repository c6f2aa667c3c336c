/* Visible escapes for text printed to an operator's terminal. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termsafe.h"
#include "validate.h"
#include "xmalloc.h"

/* Escape one code point or byte into out; the characters written. */
static int
termsafe_escape(char *out, unsigned long cp, bool byte)
{
	if (!byte && cp == '\t')
		return sprintf(out, "\\t");
	if (!byte && cp == '\n')
		return sprintf(out, "\\n");
	if (!byte && cp == '\r')
		return sprintf(out, "\\r");
	if (byte || cp < 0x80)
		return sprintf(out, "\\x%02lx", cp);
	if (cp <= 0xffff)
		return sprintf(out, "\\u%04lx", cp);
	return sprintf(out, "\\U%08lx", cp);
}

/* Escaped copy of s. */
char *
termsafe_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	/* The worst case is four characters per byte (\xNN). */
	char *out = xreallocarray(NULL, strlen(s) + 1, 4), *o = out;

	while (*p != '\0') {
		unsigned long cp;
		size_t n = utf8_decode((const char *)p, &cp);

		if (n == 0) {
			o += termsafe_escape(o, *p, true);
			p++;
			continue;
		}
		if (cp == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (validate_char_hidden(cp))
			o += termsafe_escape(o, cp, false);
		else {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

/* Print the escaped text. */
void
termsafe_print(FILE *f, const char *s)
{
	char *safe = termsafe_text(s);

	fputs(safe, f);
	free(safe);
}

/* One code point as JSON's \uXXXX, a surrogate pair above the BMP. */
static int
termsafe_json_escape(char *out, unsigned long cp)
{
	if (cp > 0xffff) {
		cp -= 0x10000;
		return sprintf(out, "\\u%04lx\\u%04lx", 0xd800 + (cp >> 10),
		    0xdc00 + (cp & 0x3ff));
	}
	return sprintf(out, "\\u%04lx", cp);
}

/* A JSON string literal of s. */
char *
termsafe_json(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	/* The worst case is twelve characters per code point (a surrogate
	 * pair for four bytes) or six per byte (\ufffd), plus the quotes. */
	char *out = xreallocarray(NULL, strlen(s) + 1, 6), *o = out;

	*o++ = '"';
	while (*p != '\0') {
		unsigned long cp;
		size_t n = utf8_decode((const char *)p, &cp);

		if (n == 0) {
			/* JSON has no bytes: a stray one becomes U+FFFD. */
			o += sprintf(o, "\\ufffd");
			p++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			*o++ = '\\';
			*o++ = (char)cp;
		} else if (cp == '\n')
			o += sprintf(o, "\\n");
		else if (cp == '\t')
			o += sprintf(o, "\\t");
		else if (cp < 0x20 || validate_char_hidden(cp))
			o += termsafe_json_escape(o, cp);
		else {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}
