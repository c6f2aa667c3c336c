/* Parsing and printing the generated certificate's names. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsnames.h"
#include "xmalloc.h"

/* The longest host name (RFC 1035 §2.3.4, without the final dot). */
#define TLSNAMES_DNS_MAX 253

/* True if word is a host name: dot-separated labels of letters, digits
 * and hyphens, 1 to 63 long, not starting or ending with a hyphen
 * (RFC 1123 §2.1).  Wildcards are refused: the CA vouches for hosts,
 * not for patterns. */
static bool
tlsnames_is_host(const char *word, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > TLSNAMES_DNS_MAX)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || word[i] == '.') {
			if (label == 0 || label > 63 || word[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)word[i]) &&
		    (word[i] != '-' || label == 0))
			return false;
		label++;
	}
	return true;
}

/* Add a name unless it is there already. */
static void
tlsnames_add(struct tlsnames *names, enum tlsname_kind kind,
    const unsigned char *data, size_t len)
{
	struct tlsname *n;

	if (tlsnames_has(names, kind, data, len))
		return;
	n = &names->name[names->n++];
	n->kind = kind;
	memcpy(n->data, data, len);
	n->len = len;
}

/* Add one word of the list: an address or a host name. */
static int
tlsnames_word(struct tlsnames *names, const char *word, size_t len,
    char **problem)
{
	char buf[TLSNAMES_DNS_MAX + 2];
	unsigned char addr[16];
	enum tlsname_kind kind = TLSNAME_IP;
	const unsigned char *data = addr;
	size_t dlen;

	if (len >= sizeof buf) {
		xasprintf(problem, "tls_names: \"%.40s...\" is longer than a "
		    "host name may be (%d characters)", word, TLSNAMES_DNS_MAX);
		return -1;
	}
	memcpy(buf, word, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1)
		dlen = 4;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		dlen = 16;
	else if (tlsnames_is_host(buf, len)) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)tolower((unsigned char)buf[i]);
		kind = TLSNAME_DNS;
		data = (const unsigned char *)buf;
		dlen = len;
	} else {
		xasprintf(problem, "tls_names: \"%s\" is neither a host name "
		    "(letters, digits, hyphens and dots, no wildcard) nor an "
		    "IP address", buf);
		return -1;
	}
	if (names->n == TLSNAMES_MAX && !tlsnames_has(names, kind, data, dlen)) {
		xasprintf(problem, "tls_names: at most %d names",
		    TLSNAMES_MAX - 3);
		return -1;
	}
	tlsnames_add(names, kind, data, dlen);
	return 0;
}

/* See tlsnames.h. */
int
tlsnames_parse(const char *list, struct tlsnames *out, char **problem)
{
	static const char sep[] = " \t,";
	unsigned char v4[4], v6[16];

	*problem = NULL;
	memset(out, 0, sizeof *out);
	inet_pton(AF_INET, "127.0.0.1", v4);
	inet_pton(AF_INET6, "::1", v6);
	tlsnames_add(out, TLSNAME_DNS, (const unsigned char *)"localhost", 9);
	tlsnames_add(out, TLSNAME_IP, v4, sizeof v4);
	tlsnames_add(out, TLSNAME_IP, v6, sizeof v6);
	if (list == NULL)
		return 0;
	for (const char *p = list; *p != '\0';) {
		size_t len;

		p += strspn(p, sep);
		if ((len = strcspn(p, sep)) == 0)
			break;
		if (tlsnames_word(out, p, len, problem) != 0)
			return -1;
		p += len;
	}
	return 0;
}

/* See tlsnames.h. */
bool
tlsnames_has(const struct tlsnames *names, enum tlsname_kind kind,
    const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < names->n; i++) {
		const struct tlsname *n = &names->name[i];

		if (n->kind == kind && n->len == len &&
		    memcmp(n->data, data, len) == 0)
			return true;
	}
	return false;
}

/* See tlsnames.h. */
char *
tlsnames_text(const struct tlsnames *names)
{
	char *text = xstrdup(""), *next;

	for (size_t i = 0; i < names->n; i++) {
		const struct tlsname *n = &names->name[i];
		char one[INET6_ADDRSTRLEN > 256 ? INET6_ADDRSTRLEN : 256];

		if (n->kind == TLSNAME_IP)
			inet_ntop(n->len == 4 ? AF_INET : AF_INET6, n->data,
			    one, sizeof one);
		else
			snprintf(one, sizeof one, "%.*s", (int)n->len,
			    (const char *)n->data);
		xasprintf(&next, "%s%s%s", text, i == 0 ? "" : ", ", one);
		free(text);
		text = next;
	}
	return text;
}
