/* The service's TLS certificate when none is configured: a local CA and a
 * server certificate for localhost, 127.0.0.1, ::1 and the names of
 * tls_names signed by it, kept in the data directory.  Clients trust the CA file (ca.pem), so
 * verification stays fully on.
 *
 * The CA is limited by nameConstraints to those names, and its private
 * key is not kept once the server certificate is issued unless
 * keep_ca_key asks for it.  A server certificate that expires within 30
 * days is renewed at start: by the kept CA when there is one, otherwise
 * with a new CA that clients must then trust instead. */
#ifndef MADOGUCHID_TLSCERT_H
#define MADOGUCHID_TLSCERT_H

#include <stdbool.h>

/* Renew the server certificate when it has fewer days left than this. */
#define TLSCERT_RENEW_DAYS 30

/* Paths of the files in use; all malloc'd. */
struct tlscert_files {
	char *ca;		/* NULL when the certificate was configured */
	char *cert;
	char *key;
};

/* Make sure DATA_DIR/{ca,server,server-key}.pem exist, belong together,
 * are for the loopback names and those of tls_names (tlsnames.h; NULL
 * for none) and last beyond TLSCERT_RENEW_DAYS, making what is needed;
 * keep_ca_key keeps (and uses) DATA_DIR/ca-key.pem, otherwise it is
 * deleted.  0, or -1 with *error (malloc'd). */
int tlscert_ensure(const char *data_dir, const char *tls_names,
    bool keep_ca_key, struct tlscert_files *out, char **error);
/* Release the paths. */
void tlscert_files_free(struct tlscert_files *);

#endif
