/* The X.509 side of the generated certificates (GnuTLS): a local CA that
 * nameConstraints limit to the names it was made for, the server
 * certificate it signs for those names, and PEM files in and out.
 * Only tlscert.c, which decides when to make what, uses this. */
#ifndef MADOGUCHID_TLSCERT_X509_H
#define MADOGUCHID_TLSCERT_X509_H

#include <stdbool.h>
#include <time.h>

#include <gnutls/x509.h>

/* The local CA lives at most this long. */
#define TLSCERT_CA_DAYS (10 * 365)
/* The most browsers and Apple clients accept for a server certificate. */
#define TLSCERT_SERVER_DAYS 825

/* A certificate and its private key (either may be NULL). */
struct tlscert_pair {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
};

struct tlsnames;

/* A new CA valid from now, constrained to names; 0 or -1. */
int tlscert_x509_make_ca(struct tlscert_pair *ca,
    const struct tlsnames *names, time_t now);
/* A new key and server certificate for names, signed by ca. */
int tlscert_x509_make_server(struct tlscert_pair *srv,
    const struct tlscert_pair *ca, const struct tlsnames *names,
    time_t now);
/* True if crt's subject alternative names are exactly names. */
bool tlscert_x509_for_names(gnutls_x509_crt_t crt,
    const struct tlsnames *names);
/* True if ca's critical nameConstraints permit every one of names. */
bool tlscert_x509_permits(gnutls_x509_crt_t ca,
    const struct tlsnames *names);
/* True if ca is one this program would make now: a CA certificate with
 * its own key and a critical nameConstraints extension. */
bool tlscert_x509_ca_usable(const struct tlscert_pair *ca);
/* True if key is srv's key and srv is signed by ca (dates not checked). */
bool tlscert_x509_belongs(const struct tlscert_pair *srv,
    gnutls_x509_crt_t ca);

/* Read a PEM certificate or key; 0, or -1 if missing or unreadable. */
int tlscert_x509_load_crt(const char *path, gnutls_x509_crt_t *out);
int tlscert_x509_load_key(const char *path, gnutls_x509_privkey_t *out);
/* Write a certificate (mode 0644) or key (0600) atomically; 0, or -1
 * with *error. */
int tlscert_x509_save_crt(const char *path, gnutls_x509_crt_t, char **error);
int tlscert_x509_save_key(const char *path, gnutls_x509_privkey_t,
    char **error);
/* Release what a pair holds (GnuTLS clears key material on release). */
void tlscert_pair_free(struct tlscert_pair *);

#endif
