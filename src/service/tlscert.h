/* The service's TLS certificate when none is configured: on first start a
 * local CA and a localhost server certificate signed by it are generated
 * into the data directory; later starts reuse them.  Clients trust the CA
 * file (ca.pem), so verification stays fully on. */
#ifndef MADOGUCHID_TLSCERT_H
#define MADOGUCHID_TLSCERT_H

/* Paths of the files in use; all malloc'd. */
struct tlscert_files {
	char *ca;		/* NULL when the certificate was configured */
	char *cert;
	char *key;
};

/* Make sure DATA_DIR/{ca,ca-key,server,server-key}.pem exist, generating
 * them if any is missing; 0, or -1 with *error (malloc'd). */
int tlscert_ensure(const char *data_dir, struct tlscert_files *out,
    char **error);
/* Release the paths. */
void tlscert_files_free(struct tlscert_files *);

#endif
