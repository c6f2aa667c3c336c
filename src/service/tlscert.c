/* Which certificates to make at start, and the CA key kept only when
 * asked for. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "tlscert.h"
#include "tlscert_x509.h"
#include "tlsnames.h"
#include "xmalloc.h"

/* The four files in the data directory. */
struct tlscert_paths {
	char *ca;
	char *ca_key;
	char *cert;
	char *key;
};

/* What the data directory holds. */
enum tlscert_state {
	TLSCERT_NONE,		/* nothing yet: the first start */
	TLSCERT_BROKEN,		/* a file missing or unreadable, or the
				 * certificate not the key's or the CA's */
	TLSCERT_RENAMED,	/* a good set, for other names than
				 * tls_names asks for */
	TLSCERT_EXPIRING,	/* one set, ending within TLSCERT_RENEW_DAYS */
	TLSCERT_GOOD
};

/* True if something is at path. */
static bool
tlscert_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Overwrite a key file with zeros, then delete it.  The overwrite keeps
 * the key out of freed blocks on simple file systems; on journalling or
 * copy-on-write ones only the deletion can be relied on. */
static int
tlscert_shred(const char *path, char **error)
{
	static const char zeros[4096];
	struct stat st;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) != -1) {
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			off_t left = st.st_size;

			while (left > 0) {
				size_t n = left < (off_t)sizeof zeros ?
				    (size_t)left : sizeof zeros;
				ssize_t w = write(fd, zeros, n);

				if (w <= 0 && errno != EINTR)
					break;
				if (w > 0)
					left -= w;
			}
			(void)fsync(fd);
		}
		close(fd);
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A day for the log (UTC). */
static void
tlscert_day(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, size, "?");
}

/* Look at the files; *end is when the set stops working (the earlier of
 * the server certificate's and the CA's expiry). */
static enum tlscert_state
tlscert_inspect(const struct tlscert_paths *p, const struct tlsnames *names,
    time_t now, time_t *end)
{
	struct tlscert_pair srv = { NULL, NULL };
	gnutls_x509_crt_t ca = NULL;
	enum tlscert_state state = TLSCERT_BROKEN;

	*end = 0;
	if (!tlscert_exists(p->ca) && !tlscert_exists(p->cert) &&
	    !tlscert_exists(p->key))
		return TLSCERT_NONE;
	if (tlscert_x509_load_crt(p->ca, &ca) == 0 &&
	    tlscert_x509_load_crt(p->cert, &srv.crt) == 0 &&
	    tlscert_x509_load_key(p->key, &srv.key) == 0 &&
	    tlscert_x509_belongs(&srv, ca)) {
		time_t srv_end = gnutls_x509_crt_get_expiration_time(srv.crt);
		time_t ca_end = gnutls_x509_crt_get_expiration_time(ca);

		*end = srv_end < ca_end ? srv_end : ca_end;
		if (!tlscert_x509_for_names(srv.crt, names) ||
		    !tlscert_x509_permits(ca, names))
			state = TLSCERT_RENAMED;
		else if (*end - now < (time_t)TLSCERT_RENEW_DAYS * 86400)
			state = TLSCERT_EXPIRING;
		else
			state = TLSCERT_GOOD;
	}
	tlscert_pair_free(&srv);
	if (ca != NULL)
		gnutls_x509_crt_deinit(ca);
	return state;
}

/* Load the kept CA with its key; true if it is one this program would
 * make (a CA with its own key, constrained). */
static bool
tlscert_load_ca(const struct tlscert_paths *p, struct tlscert_pair *ca)
{
	memset(ca, 0, sizeof *ca);
	return tlscert_x509_load_crt(p->ca, &ca->crt) == 0 &&
	    tlscert_x509_load_key(p->ca_key, &ca->key) == 0 &&
	    tlscert_x509_ca_usable(ca);
}

/* The kept CA, if it is fit to sign a new server certificate: usable,
 * allowed to vouch for the names, and outliving the certificate. */
static bool
tlscert_kept_ca(const struct tlscert_paths *p, const struct tlsnames *names,
    time_t now, struct tlscert_pair *ca)
{
	return tlscert_load_ca(p, ca) &&
	    tlscert_x509_permits(ca->crt, names) &&
	    gnutls_x509_crt_get_expiration_time(ca->crt) - now >
	    (time_t)TLSCERT_SERVER_DAYS * 86400;
}

/* A new server certificate from the kept CA: 1 done, 0 when there is no
 * kept CA fit to sign it, -1 with *error. */
static int
tlscert_reissue(const struct tlscert_paths *p, const struct tlsnames *names,
    time_t now, char **error)
{
	struct tlscert_pair ca, srv = { NULL, NULL };
	int rc = 0;

	if (tlscert_kept_ca(p, names, now, &ca)) {
		rc = -1;
		if (tlscert_x509_make_server(&srv, &ca, names, now) < 0)
			xasprintf(error, "cannot make the server certificate");
		else if (tlscert_x509_save_key(p->key, srv.key, error) == 0 &&
		    tlscert_x509_save_crt(p->cert, srv.crt, error) == 0)
			rc = 1;
	}
	tlscert_pair_free(&srv);
	tlscert_pair_free(&ca);
	return rc;
}

/* A new CA and server certificate.  The CA's key is written only when it
 * is to be kept; otherwise it is released (and cleared) here, having
 * signed the one certificate it was made for.  The server certificate
 * is written last: a set cut short by a crash does not verify and is
 * made again at the next start. */
static int
tlscert_generate(const struct tlscert_paths *p, const struct tlsnames *names,
    bool keep_ca_key, time_t now, char **error)
{
	struct tlscert_pair ca = { NULL, NULL }, srv = { NULL, NULL };
	int rc = -1;

	if (tlscert_x509_make_ca(&ca, names, now) < 0 ||
	    tlscert_x509_make_server(&srv, &ca, names, now) < 0)
		xasprintf(error, "cannot generate the TLS certificate");
	else if ((!keep_ca_key ||
	    tlscert_x509_save_key(p->ca_key, ca.key, error) == 0) &&
	    tlscert_x509_save_key(p->key, srv.key, error) == 0 &&
	    tlscert_x509_save_crt(p->ca, ca.crt, error) == 0 &&
	    tlscert_x509_save_crt(p->cert, srv.crt, error) == 0)
		rc = 0;
	tlscert_pair_free(&srv);
	tlscert_pair_free(&ca);
	return rc;
}

/* Say at every start that the CA key is kept, and what that allows. */
static void
tlscert_warn_kept(const struct tlscert_paths *p, const char *names)
{
	struct tlscert_pair ca;

	if (!tlscert_exists(p->ca_key))
		log_warn("keep_ca_key is set but there is no %s: the next "
		    "renewal makes a new CA", p->ca_key);
	else if (tlscert_load_ca(p, &ca))
		log_warn("keep_ca_key is set: the local CA's private key stays "
		    "in %s; whoever can read it can make certificates for "
		    "%s that every client trusting %s accepts", p->ca_key,
		    names, p->ca);
	else
		log_warn("keep_ca_key is set and %s belongs to a CA without "
		    "name constraints (or not to %s): whoever can read it can "
		    "make certificates for any host that every client trusting "
		    "that CA accepts; remove both files to make a constrained "
		    "CA", p->ca_key, p->ca);
	tlscert_pair_free(&ca);
}

/* Make sure the generated files exist, belong together, are for the
 * names and last. */
int
tlscert_ensure(const char *data_dir, const char *tls_names, bool keep_ca_key,
    struct tlscert_files *out, char **error)
{
	struct tlscert_paths p;
	struct tlsnames names;
	enum tlscert_state state;
	time_t now = time(NULL), end;
	char *abs, *text, day[32];
	int rc = -1;

	*error = NULL;
	memset(out, 0, sizeof out[0]);
	if (tlsnames_parse(tls_names, &names, error) != 0)
		return -1;
	/* Absolute, so that the path printed for clients works anywhere. */
	if ((abs = realpath(data_dir, NULL)) == NULL) {
		xasprintf(error, "%s: %s", data_dir, strerror(errno));
		return -1;
	}
	xasprintf(&p.ca, "%s/ca.pem", abs);
	xasprintf(&p.ca_key, "%s/ca-key.pem", abs);
	xasprintf(&p.cert, "%s/server.pem", abs);
	xasprintf(&p.key, "%s/server-key.pem", abs);
	free(abs);
	text = tlsnames_text(&names);

	/* A key left by an earlier version, or by keep_ca_key since
	 * unset. */
	if (!keep_ca_key && tlscert_exists(p.ca_key)) {
		if (tlscert_shred(p.ca_key, error) != 0)
			goto out;
		log_info("deleted %s: the local CA's private key is not kept "
		    "(keep_ca_key = 1 would keep it)", p.ca_key);
	}
	state = tlscert_inspect(&p, &names, now, &end);
	tlscert_day(end, day, sizeof day);
	if (state == TLSCERT_GOOD)
		rc = 0;
	else if (state != TLSCERT_NONE && keep_ca_key &&
	    (rc = tlscert_reissue(&p, &names, now, error)) != 0) {
		if (rc > 0 && state == TLSCERT_EXPIRING)
			log_info("renewed the server certificate %s, which "
			    "ended on %s, with the kept local CA", p.cert, day);
		else if (rc > 0 && state == TLSCERT_RENAMED)
			log_info("issued a new server certificate %s for %s "
			    "with the kept local CA", p.cert, text);
		else if (rc > 0)
			log_info("issued a new server certificate %s with the "
			    "kept local CA: the old one was missing or not "
			    "the CA's", p.cert);
		rc = rc > 0 ? 0 : -1;
	} else if ((rc = tlscert_generate(&p, &names, keep_ca_key, now,
	    error)) == 0) {
		if (state == TLSCERT_NONE)
			log_info("generated a local CA %s and a server "
			    "certificate for %s", p.ca, text);
		else if (state == TLSCERT_EXPIRING)
			log_warn("the server certificate ended on %s and no "
			    "CA key is kept: made a new local CA; clients must "
			    "now trust the new %s", day, p.ca);
		else if (state == TLSCERT_RENAMED)
			log_warn("tls_names changed and the local CA may not "
			    "vouch for the new names: made a new local CA and a "
			    "server certificate for %s; clients must now trust "
			    "the new %s", text, p.ca);
		else
			log_warn("the certificate files were missing or did "
			    "not belong together: made a new local CA; clients "
			    "must now trust the new %s", p.ca);
	}
	if (rc == 0 && keep_ca_key)
		tlscert_warn_kept(&p, text);
out:
	free(text);
	free(p.ca_key);
	if (rc == 0) {
		out->ca = p.ca;
		out->cert = p.cert;
		out->key = p.key;
	} else {
		free(p.ca);
		free(p.cert);
		free(p.key);
	}
	return rc;
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
