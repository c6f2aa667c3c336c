/* Making, checking, reading and writing the generated certificates. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "fsfile.h"
#include "tlscert_x509.h"
#include "tlsnames.h"
#include "xmalloc.h"

/* A random positive 16-byte serial number (RFC 5280 §4.1.2.2). */
static int
tlscert_x509_serial(gnutls_x509_crt_t crt)
{
	unsigned char serial[16];

	if (gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial) != 0)
		return -1;
	serial[0] &= 0x7f;
	serial[0] |= 0x01;
	return gnutls_x509_crt_set_serial(crt, serial, sizeof serial);
}

/* A fresh ECDSA P-256 key. */
static int
tlscert_x509_key(gnutls_x509_privkey_t *key)
{
	if (gnutls_x509_privkey_init(key) < 0) {
		*key = NULL;
		return -1;
	}
	return gnutls_x509_privkey_generate(*key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
}

/* Fields every certificate here has: version, serial, validity, CN, key
 * and subject key identifier. */
static int
tlscert_x509_common(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
    const char *cn, time_t now, long days)
{
	unsigned char id[64];
	size_t idlen = sizeof id;

	if (gnutls_x509_crt_set_version(crt, 3) < 0 ||
	    tlscert_x509_serial(crt) < 0 ||
	    /* An hour back, for clocks slightly behind ours. */
	    gnutls_x509_crt_set_activation_time(crt, now - 3600) < 0 ||
	    gnutls_x509_crt_set_expiration_time(crt,
	    now + (time_t)days * 86400) < 0 ||
	    gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    cn, (unsigned int)strlen(cn)) < 0 ||
	    gnutls_x509_crt_set_key(crt, key) < 0 ||
	    gnutls_x509_crt_get_key_id(crt, 0, id, &idlen) < 0 ||
	    gnutls_x509_crt_set_subject_key_id(crt, id, idlen) < 0)
		return -1;
	return 0;
}

/* GnuTLS's kind of a name. */
static gnutls_x509_subject_alt_name_t
tlscert_x509_san_type(const struct tlsname *n)
{
	return n->kind == TLSNAME_IP ? GNUTLS_SAN_IPADDRESS :
	    GNUTLS_SAN_DNSNAME;
}

/* The CA may vouch for these names only (RFC 5280 §4.2.1.10, critical):
 * whoever obtains its key cannot make a certificate for another host
 * that a client trusting ca.pem would accept. */
static int
tlscert_x509_constrain(gnutls_x509_crt_t ca, const struct tlsnames *names)
{
	gnutls_x509_name_constraints_t nc;
	int rc = 0;

	if (gnutls_x509_name_constraints_init(&nc) < 0)
		return -1;
	for (size_t i = 0; i < names->n && rc == 0; i++) {
		const struct tlsname *n = &names->name[i];
		/* An address constraint is the address followed by its
		 * mask: this address alone. */
		unsigned char buf[32];
		gnutls_datum_t d = { buf, (unsigned int)n->len };

		memcpy(buf, n->data, n->len);
		if (n->kind == TLSNAME_IP) {
			memset(buf + n->len, 0xff, n->len);
			d.size *= 2;
		}
		if (gnutls_x509_name_constraints_add_permitted(nc,
		    tlscert_x509_san_type(n), &d) < 0)
			rc = -1;
	}
	if (rc == 0 && gnutls_x509_crt_set_name_constraints(ca, nc, 1) < 0)
		rc = -1;
	gnutls_x509_name_constraints_deinit(nc);
	return rc;
}

/* The local CA: CA:TRUE, keyCertSign, name constraints, self-signed. */
int
tlscert_x509_make_ca(struct tlscert_pair *ca, const struct tlsnames *names,
    time_t now)
{
	memset(ca, 0, sizeof *ca);
	if (tlscert_x509_key(&ca->key) < 0 ||
	    gnutls_x509_crt_init(&ca->crt) < 0) {
		ca->crt = NULL;
		return -1;
	}
	if (tlscert_x509_common(ca->crt, ca->key, "madoguchid local CA", now,
	    TLSCERT_CA_DAYS) < 0 ||
	    gnutls_x509_crt_set_basic_constraints(ca->crt, 1, 0) < 0 ||
	    gnutls_x509_crt_set_key_usage(ca->crt, GNUTLS_KEY_KEY_CERT_SIGN |
	    GNUTLS_KEY_CRL_SIGN) < 0 ||
	    tlscert_x509_constrain(ca->crt, names) < 0 ||
	    gnutls_x509_crt_sign2(ca->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256,
	    0) < 0)
		return -1;
	return 0;
}

/* The server certificate: every name, serverAuth.  Its subject is the
 * first name, localhost. */
int
tlscert_x509_make_server(struct tlscert_pair *srv,
    const struct tlscert_pair *ca, const struct tlsnames *names, time_t now)
{
	unsigned char caid[64];
	size_t caidlen = sizeof caid;
	char cn[sizeof names->name[0].data + 1];

	memset(srv, 0, sizeof *srv);
	if (tlscert_x509_key(&srv->key) < 0 ||
	    gnutls_x509_crt_init(&srv->crt) < 0) {
		srv->crt = NULL;
		return -1;
	}
	snprintf(cn, sizeof cn, "%.*s", (int)names->name[0].len,
	    (const char *)names->name[0].data);
	if (tlscert_x509_common(srv->crt, srv->key, cn, now,
	    TLSCERT_SERVER_DAYS) < 0 ||
	    gnutls_x509_crt_set_basic_constraints(srv->crt, 0, -1) < 0 ||
	    gnutls_x509_crt_set_key_usage(srv->crt,
	    GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
	    gnutls_x509_crt_set_key_purpose_oid(srv->crt,
	    GNUTLS_KP_TLS_WWW_SERVER, 0) < 0)
		return -1;
	for (size_t i = 0; i < names->n; i++) {
		const struct tlsname *n = &names->name[i];

		if (gnutls_x509_crt_set_subject_alt_name(srv->crt,
		    tlscert_x509_san_type(n), n->data, (unsigned int)n->len,
		    GNUTLS_FSAN_APPEND) < 0)
			return -1;
	}
	if (gnutls_x509_crt_get_subject_key_id(ca->crt, caid, &caidlen,
	    NULL) < 0 ||
	    gnutls_x509_crt_set_authority_key_id(srv->crt, caid, caidlen) < 0 ||
	    gnutls_x509_crt_sign2(srv->crt, ca->crt, ca->key,
	    GNUTLS_DIG_SHA256, 0) < 0)
		return -1;
	return 0;
}

/* See tlscert_x509.h. */
bool
tlscert_x509_for_names(gnutls_x509_crt_t crt, const struct tlsnames *names)
{
	size_t found = 0;

	for (unsigned int seq = 0;; seq++) {
		unsigned char buf[sizeof names->name[0].data];
		size_t size = sizeof buf;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, seq, buf,
		    &size, NULL);
		enum tlsname_kind kind;

		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type == GNUTLS_SAN_DNSNAME)
			kind = TLSNAME_DNS;
		else if (type == GNUTLS_SAN_IPADDRESS)
			kind = TLSNAME_IP;
		else
			return false;
		if (!tlsnames_has(names, kind, buf, size))
			return false;
		found++;
	}
	/* The names are distinct: as many found as wanted is all. */
	return found == names->n;
}

/* See tlscert_x509.h. */
bool
tlscert_x509_permits(gnutls_x509_crt_t ca, const struct tlsnames *names)
{
	gnutls_x509_name_constraints_t nc;
	unsigned int critical = 0;
	bool ok;

	if (gnutls_x509_name_constraints_init(&nc) < 0)
		return false;
	ok = gnutls_x509_crt_get_name_constraints(ca, nc, 0, &critical) >= 0 &&
	    critical;
	for (size_t i = 0; ok && i < names->n; i++) {
		const struct tlsname *n = &names->name[i];
		gnutls_datum_t d = { (unsigned char *)n->data,
		    (unsigned int)n->len };

		ok = gnutls_x509_name_constraints_check(nc,
		    tlscert_x509_san_type(n), &d) != 0;
	}
	gnutls_x509_name_constraints_deinit(nc);
	return ok;
}

/* True if key is the private half of crt's public key. */
static bool
tlscert_x509_same_key(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
	unsigned char a[64], b[64];
	size_t alen = sizeof a, blen = sizeof b;

	return gnutls_x509_crt_get_key_id(crt, 0, a, &alen) >= 0 &&
	    gnutls_x509_privkey_get_key_id(key, 0, b, &blen) >= 0 &&
	    alen == blen && memcmp(a, b, alen) == 0;
}

/* See tlscert_x509.h. */
bool
tlscert_x509_ca_usable(const struct tlscert_pair *ca)
{
	gnutls_x509_name_constraints_t nc;
	unsigned int critical = 0, isca = 0;
	bool ok;

	if (ca->crt == NULL || ca->key == NULL ||
	    gnutls_x509_crt_get_basic_constraints(ca->crt, &critical, &isca,
	    NULL) < 0 || !isca || !tlscert_x509_same_key(ca->crt, ca->key))
		return false;
	if (gnutls_x509_name_constraints_init(&nc) < 0)
		return false;
	critical = 0;
	ok = gnutls_x509_crt_get_name_constraints(ca->crt, nc, 0,
	    &critical) >= 0 && critical;
	gnutls_x509_name_constraints_deinit(nc);
	return ok;
}

/* See tlscert_x509.h. */
bool
tlscert_x509_belongs(const struct tlscert_pair *srv, gnutls_x509_crt_t ca)
{
	unsigned int status = 0;

	return srv->crt != NULL && srv->key != NULL && ca != NULL &&
	    tlscert_x509_same_key(srv->crt, srv->key) &&
	    gnutls_x509_crt_verify(srv->crt, &ca, 1,
	    GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &status) >= 0 && status == 0;
}

/* Read a certificate. */
int
tlscert_x509_load_crt(const char *path, gnutls_x509_crt_t *out)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	*out = NULL;
	if (gnutls_load_file(path, &d) < 0)
		return -1;
	if (gnutls_x509_crt_init(out) < 0) {
		*out = NULL;
		gnutls_free(d.data);
		return -1;
	}
	rc = gnutls_x509_crt_import(*out, &d, GNUTLS_X509_FMT_PEM);
	gnutls_free(d.data);
	if (rc < 0) {
		gnutls_x509_crt_deinit(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Read a private key (PKCS #8 or the older forms), wiping the buffer. */
int
tlscert_x509_load_key(const char *path, gnutls_x509_privkey_t *out)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	*out = NULL;
	if (gnutls_load_file(path, &d) < 0)
		return -1;
	if (gnutls_x509_privkey_init(out) < 0) {
		*out = NULL;
		rc = -1;
	} else
		rc = gnutls_x509_privkey_import2(*out, &d, GNUTLS_X509_FMT_PEM,
		    NULL, 0);
	gnutls_memset(d.data, 0, d.size);
	gnutls_free(d.data);
	if (rc < 0 && *out != NULL) {
		gnutls_x509_privkey_deinit(*out);
		*out = NULL;
	}
	return rc < 0 ? -1 : 0;
}

/* Write a certificate: public, so readable by all. */
int
tlscert_x509_save_crt(const char *path, gnutls_x509_crt_t crt, char **error)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	if ((rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d)) < 0) {
		xasprintf(error, "%s: %s", path, gnutls_strerror(rc));
		return -1;
	}
	rc = fsfile_replace(path, d.data, d.size, 0644, error);
	gnutls_free(d.data);
	return rc;
}

/* Write a private key: for this user only, the buffer wiped after. */
int
tlscert_x509_save_key(const char *path, gnutls_x509_privkey_t key,
    char **error)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	if ((rc = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM,
	    NULL, GNUTLS_PKCS_PLAIN, &d)) < 0) {
		xasprintf(error, "%s: %s", path, gnutls_strerror(rc));
		return -1;
	}
	rc = fsfile_replace(path, d.data, d.size, 0600, error);
	gnutls_memset(d.data, 0, d.size);
	gnutls_free(d.data);
	return rc;
}

/* Release a pair. */
void
tlscert_pair_free(struct tlscert_pair *p)
{
	if (p->crt != NULL)
		gnutls_x509_crt_deinit(p->crt);
	if (p->key != NULL)
		gnutls_x509_privkey_deinit(p->key);
	memset(p, 0, sizeof *p);
}
