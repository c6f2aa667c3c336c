/* The names a generated server certificate is for, and the only names
 * the generated CA may vouch for: localhost, 127.0.0.1 and ::1 always,
 * then the host names and addresses of the tls_names setting (a counter
 * network that reaches the service by a name of its own). */
#ifndef MADOGUCHID_TLSNAMES_H
#define MADOGUCHID_TLSNAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The three loopback names and at most 16 of the setting's. */
#define TLSNAMES_MAX 19

enum tlsname_kind {
	TLSNAME_DNS,		/* a host name, lower case */
	TLSNAME_IP		/* 4 or 16 bytes in network order */
};

struct tlsname {
	enum tlsname_kind kind;
	unsigned char data[254];
	size_t len;
};

struct tlsnames {
	struct tlsname name[TLSNAMES_MAX];
	size_t n;
};

/* The loopback names followed by those in list (separated by spaces or
 * commas; NULL or empty for none), duplicates dropped.  0, or -1 with
 * *problem (malloc'd) naming the setting and the rule. */
int tlsnames_parse(const char *list, struct tlsnames *out, char **problem);
/* True if names holds a name of this kind and value. */
bool tlsnames_has(const struct tlsnames *names, enum tlsname_kind kind,
    const unsigned char *data, size_t len);
/* The names as a person reads them, comma-separated (malloc'd). */
char *tlsnames_text(const struct tlsnames *names);

#endif
