/* Building RFC 5322 messages (RFC 2045-2047 for the non-ASCII parts). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mail_message.h"
#include "validate.h"
#include "xmalloc.h"

/* UTF-8 bytes per encoded word: 36 bytes are 48 base64 characters, so
 * "Subject: =?UTF-8?B?…?=" stays within the 78 columns RFC 5322 §2.1.1
 * asks for, and every later folded line too. */
#define MAIL_WORD_BYTES 36
/* RFC 2045 §6.8: base64 lines of at most 76 characters (57 bytes). */
#define MAIL_B64_LINE 57

/* A growing message. */
struct mail_out {
	char *s;
	size_t len;
};

/* Append n bytes. */
static void
mail_out_add(struct mail_out *o, const char *p, size_t n)
{
	o->s = xreallocarray(o->s, o->len + n + 1, 1);
	memcpy(o->s + o->len, p, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* Append formatted text. */
static void __attribute__((format(printf, 2, 3)))
mail_out_printf(struct mail_out *o, const char *fmt, ...)
{
	va_list ap;
	char *add;
	int n;

	va_start(ap, fmt);
	n = xvasprintf(&add, fmt, ap);
	va_end(ap);
	mail_out_add(o, add, (size_t)n);
	free(add);
}

/* Append the base64 of n bytes (no line breaks). */
static void
mail_out_base64(struct mail_out *o, const unsigned char *p, size_t n)
{
	size_t size = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_ORIGINAL);
	char *b = xmalloc(size);

	sodium_bin2base64(b, size, p, n, sodium_base64_VARIANT_ORIGINAL);
	mail_out_add(o, b, strlen(b));
	wipe(b, size);
	free(b);
}

/* Is addr usable as it stands? */
bool
mail_message_address_ok(const char *addr)
{
	for (const unsigned char *p = (const unsigned char *)addr; *p != '\0';
	    p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	return validate_email(addr).code == ERR_NONE;
}

/* The bare address of the sender. */
char *
mail_message_envelope(const char *from)
{
	const char *lt = strrchr(from, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		return xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return xstrdup(from);
}

/* Is the text all printable ASCII? */
static bool
mail_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Append text as RFC 2047 encoded words, UTF-8 in base64, each cut at a
 * character boundary and folded onto its own continuation line.  Every
 * byte is encoded, so a CR or LF in it cannot end the header. */
static void
mail_out_words(struct mail_out *o, const char *text)
{
	size_t len = strlen(text), at = 0;

	if (len == 0)
		return;
	while (at < len) {
		size_t n = len - at;

		if (n > MAIL_WORD_BYTES) {
			n = MAIL_WORD_BYTES;
			/* Back up over continuation bytes (10xxxxxx). */
			while (n > 1 && ((unsigned char)text[at + n] & 0xc0) ==
			    0x80)
				n--;
		}
		if (at > 0)
			mail_out_add(o, "\r\n ", 3);
		mail_out_add(o, "=?UTF-8?B?", 10);
		mail_out_base64(o, (const unsigned char *)text + at, n);
		mail_out_add(o, "?=", 2);
		at += n;
	}
}

/* From: the configured sender; a non-ASCII display name is encoded, and
 * anything unprintable in the address part dropped. */
static void
mail_out_from(struct mail_out *o, const char *from)
{
	const char *lt = strrchr(from, '<');
	char *addr = mail_message_envelope(from);
	size_t nlen;

	mail_out_add(o, "From: ", 6);
	if (lt != NULL) {
		nlen = (size_t)(lt - from);
		while (nlen > 0 && from[nlen - 1] == ' ')
			nlen--;
		if (nlen > 0 && mail_ascii(from, nlen)) {
			mail_out_add(o, from, nlen);
			mail_out_add(o, " ", 1);
		} else if (nlen > 0) {
			char *name = xstrndup(from, nlen);

			mail_out_words(o, name);
			mail_out_add(o, " ", 1);
			free(name);
		}
	}
	for (char *p = addr; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			*p = '_';
	mail_out_printf(o, "<%s>\r\n", addr);
	free(addr);
}

/* RFC 5322 §3.3 date in the service's time zone, with English names
 * whatever the locale. */
static void
mail_out_date(struct mail_out *o, long long now)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)now;
	struct tm tm;
	long off;

	if (localtime_r(&t, &tm) == NULL)
		gmtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	mail_out_printf(o, "Date: %s, %d %s %04d %02d:%02d:%02d %c%02ld%02ld"
	    "\r\n", days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* Message-ID: time, 128 random bits, and the sender's domain. */
static void
mail_out_message_id(struct mail_out *o, const char *from, long long now)
{
	unsigned char rnd[16];
	char hex[sizeof rnd * 2 + 1];
	char *addr = mail_message_envelope(from);
	const char *at = strrchr(addr, '@');
	const char *domain = at != NULL && at[1] != '\0' ? at + 1 :
	    "madoguchi.invalid";

	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	if (!mail_ascii(domain, strlen(domain)) || strpbrk(domain, " <>") !=
	    NULL)
		domain = "madoguchi.invalid";
	mail_out_printf(o, "Message-ID: <%lld.%s@%s>\r\n", now, hex, domain);
	free(addr);
}

/* The body in canonical form (CRLF line ends, RFC 2045 §6.8), base64 in
 * lines of 76. */
static void
mail_out_body(struct mail_out *o, const char *body)
{
	struct mail_out canon = { NULL, 0 };

	for (const char *p = body; *p != '\0'; p++) {
		if (*p == '\n')
			mail_out_add(&canon, "\r\n", 2);
		else if (*p != '\r')
			mail_out_add(&canon, p, 1);
	}
	for (size_t at = 0; at < canon.len; at += MAIL_B64_LINE) {
		size_t n = canon.len - at < MAIL_B64_LINE ? canon.len - at :
		    MAIL_B64_LINE;

		mail_out_base64(o, (const unsigned char *)canon.s + at, n);
		mail_out_add(o, "\r\n", 2);
	}
	if (canon.s != NULL) {
		wipe(canon.s, canon.len);
		free(canon.s);
	}
}

/* The whole message. */
char *
mail_message_build(const struct settings *cfg, const char *recipient,
    const struct mail_text *t, long long now, size_t *len)
{
	struct mail_out o = { NULL, 0 };

	mail_out_from(&o, cfg->mail_from);
	mail_out_printf(&o, "To: %s\r\n", recipient);
	mail_out_add(&o, "Subject: ", 9);
	mail_out_words(&o, t->subject);
	mail_out_add(&o, "\r\n", 2);
	mail_out_date(&o, now);
	mail_out_message_id(&o, cfg->mail_from, now);
	mail_out_printf(&o, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    /* RFC 3834: no auto-replies to a send-only address. */
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	mail_out_body(&o, t->body);
	*len = o.len;
	return o.s;
}
