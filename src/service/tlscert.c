/* Local CA and server certificate generation with GnuTLS. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "tlscert.h"
#include "xmalloc.h"

#define CA_DAYS (10 * 365)
/* The most browsers and Apple clients accept for a server certificate. */
#define SERVER_DAYS 825

/* What a generation needs and produces. */
struct tlscert_gen {
	gnutls_x509_privkey_t ca_key;
	gnutls_x509_crt_t ca;
	gnutls_x509_privkey_t srv_key;
	gnutls_x509_crt_t srv;
};

/* Write data to path atomically (path.tmp then rename) with mode. */
static int
tlscert_write(const char *path, const gnutls_datum_t *d, mode_t mode,
    char **error)
{
	char *tmp;
	int fd;
	size_t off = 0;

	xasprintf(&tmp, "%s.tmp", path);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1) {
		xasprintf(error, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	while (off < d->size) {
		ssize_t n = write(fd, d->data + off, d->size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off != d->size || fchmod(fd, mode) != 0 || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* A random positive 16-byte serial number (RFC 5280 §4.1.2.2). */
static int
tlscert_serial(gnutls_x509_crt_t crt)
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
tlscert_key(gnutls_x509_privkey_t *key)
{
	if (gnutls_x509_privkey_init(key) < 0)
		return -1;
	return gnutls_x509_privkey_generate(*key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
}

/* Fields every certificate here has: version, serial, validity, CN, key
 * and subject key identifier. */
static int
tlscert_common(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
    const char *cn, long days)
{
	unsigned char id[64];
	size_t idlen = sizeof id;
	time_t now = time(NULL);

	if (gnutls_x509_crt_set_version(crt, 3) < 0 ||
	    tlscert_serial(crt) < 0 ||
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

/* The local CA: CA:TRUE, keyCertSign, 10 years, self-signed. */
static int
tlscert_make_ca(struct tlscert_gen *g)
{
	if (tlscert_key(&g->ca_key) < 0 || gnutls_x509_crt_init(&g->ca) < 0)
		return -1;
	if (tlscert_common(g->ca, g->ca_key, "madoguchid local CA",
	    CA_DAYS) < 0 ||
	    gnutls_x509_crt_set_basic_constraints(g->ca, 1, 0) < 0 ||
	    gnutls_x509_crt_set_key_usage(g->ca, GNUTLS_KEY_KEY_CERT_SIGN |
	    GNUTLS_KEY_CRL_SIGN) < 0 ||
	    gnutls_x509_crt_sign2(g->ca, g->ca, g->ca_key, GNUTLS_DIG_SHA256,
	    0) < 0)
		return -1;
	return 0;
}

/* The server certificate: localhost, 127.0.0.1 and ::1, serverAuth. */
static int
tlscert_make_server(struct tlscert_gen *g)
{
	unsigned char v4[4], v6[16], caid[64];
	size_t caidlen = sizeof caid;

	inet_pton(AF_INET, "127.0.0.1", v4);
	inet_pton(AF_INET6, "::1", v6);
	if (tlscert_key(&g->srv_key) < 0 || gnutls_x509_crt_init(&g->srv) < 0)
		return -1;
	if (tlscert_common(g->srv, g->srv_key, "localhost", SERVER_DAYS) < 0 ||
	    gnutls_x509_crt_set_basic_constraints(g->srv, 0, -1) < 0 ||
	    gnutls_x509_crt_set_key_usage(g->srv,
	    GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
	    gnutls_x509_crt_set_key_purpose_oid(g->srv,
	    GNUTLS_KP_TLS_WWW_SERVER, 0) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(g->srv, GNUTLS_SAN_DNSNAME,
	    "localhost", 9, GNUTLS_FSAN_APPEND) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(g->srv, GNUTLS_SAN_IPADDRESS,
	    v4, sizeof v4, GNUTLS_FSAN_APPEND) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(g->srv, GNUTLS_SAN_IPADDRESS,
	    v6, sizeof v6, GNUTLS_FSAN_APPEND) < 0 ||
	    gnutls_x509_crt_get_subject_key_id(g->ca, caid, &caidlen,
	    NULL) < 0 ||
	    gnutls_x509_crt_set_authority_key_id(g->srv, caid, caidlen) < 0 ||
	    gnutls_x509_crt_sign2(g->srv, g->ca, g->ca_key, GNUTLS_DIG_SHA256,
	    0) < 0)
		return -1;
	return 0;
}

/* Export a certificate or a key as PEM and write it. */
static int
tlscert_save(const char *path, gnutls_x509_crt_t crt,
    gnutls_x509_privkey_t key, char **error)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	if (crt != NULL)
		rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d);
	else
		rc = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM,
		    NULL, GNUTLS_PKCS_PLAIN, &d);
	if (rc < 0) {
		xasprintf(error, "%s: %s", path, gnutls_strerror(rc));
		return -1;
	}
	/* Keys are for this user only; certificates are public. */
	rc = tlscert_write(path, &d, crt != NULL ? 0644 : 0600, error);
	if (crt == NULL)
		gnutls_memset(d.data, 0, d.size);
	gnutls_free(d.data);
	return rc;
}

/* Free what a generation allocated. */
static void
tlscert_gen_free(struct tlscert_gen *g)
{
	if (g->srv != NULL)
		gnutls_x509_crt_deinit(g->srv);
	if (g->srv_key != NULL)
		gnutls_x509_privkey_deinit(g->srv_key);
	if (g->ca != NULL)
		gnutls_x509_crt_deinit(g->ca);
	if (g->ca_key != NULL)
		gnutls_x509_privkey_deinit(g->ca_key);
}

/* Generate all four files; the server certificate is written last, so
 * its presence means the set is complete. */
static int
tlscert_generate(const char *ca, const char *ca_key, const char *cert,
    const char *key, char **error)
{
	struct tlscert_gen g;
	int rc = -1;

	memset(&g, 0, sizeof g);
	if (tlscert_make_ca(&g) < 0 || tlscert_make_server(&g) < 0) {
		xasprintf(error, "cannot generate the TLS certificate");
		goto out;
	}
	if (tlscert_save(ca_key, NULL, g.ca_key, error) < 0 ||
	    tlscert_save(key, NULL, g.srv_key, error) < 0 ||
	    tlscert_save(ca, g.ca, NULL, error) < 0 ||
	    tlscert_save(cert, g.srv, NULL, error) < 0)
		goto out;
	rc = 0;
out:
	tlscert_gen_free(&g);
	return rc;
}

/* Make sure the generated files exist. */
int
tlscert_ensure(const char *data_dir, struct tlscert_files *out,
    char **error)
{
	char *ca_key, *abs;

	*error = NULL;
	memset(out, 0, sizeof out[0]);
	/* Absolute, so that the path printed for clients works anywhere. */
	if ((abs = realpath(data_dir, NULL)) == NULL) {
		xasprintf(error, "%s: %s", data_dir, strerror(errno));
		return -1;
	}
	xasprintf(&out->ca, "%s/ca.pem", abs);
	xasprintf(&ca_key, "%s/ca-key.pem", abs);
	xasprintf(&out->cert, "%s/server.pem", abs);
	xasprintf(&out->key, "%s/server-key.pem", abs);
	free(abs);
	if (access(out->ca, R_OK) == 0 && access(ca_key, R_OK) == 0 &&
	    access(out->cert, R_OK) == 0 && access(out->key, R_OK) == 0) {
		free(ca_key);
		return 0;
	}
	if (tlscert_generate(out->ca, ca_key, out->cert, out->key,
	    error) != 0) {
		free(ca_key);
		tlscert_files_free(out);
		return -1;
	}
	free(ca_key);
	return 0;
}

/* Release the paths. */
void
tlscert_files_free(struct tlscert_files *f)
{
	free(f->ca);
	free(f->cert);
	free(f->key);
	memset(f, 0, sizeof *f);
}
