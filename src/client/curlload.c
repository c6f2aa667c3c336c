/* Loading libcurl at the first request (curlload.h says why). */
#include "config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>

#include "curlload.h"
#include "xmalloc.h"

/* libssh2.h's LIBSSH2_INIT_NO_CRYPTO (its header is not a dependency). */
#define CURLLOAD_SSH2_NO_CRYPTO 0x0001

/* Debian's libcurl-gnutls does TLS with GnuTLS; OpenSSL comes in only
 * through libssh2, for SSH transfers, which the client never makes
 * (CURLOPT_PROTOCOLS_STR is "https").  curl_global_init() initialises
 * libssh2, and libssh2 then initialises OpenSSL: its configuration,
 * engines and error strings, 0.9 M instructions and 1.4 MB of memory for
 * nothing.  libssh2's initialisation is counted and only the first one
 * chooses: made first, without the crypto library, libcurl's own is a
 * no-op.  (OpenSSL 1.1 and later initialise themselves when used, so
 * an SSH transfer would still work.)  A libcurl without libssh2 has no
 * such function, and nothing is done. */
static void
curlload_ssh2(struct curlload *c)
{
	int (*ssh2_init)(int);

	*(void **)&ssh2_init = dlsym(c->handle, "libssh2_init");
	*(void **)&c->ssh2_exit = dlsym(c->handle, "libssh2_exit");
	if (ssh2_init == NULL || c->ssh2_exit == NULL ||
	    ssh2_init(CURLLOAD_SSH2_NO_CRYPTO) != 0)
		c->ssh2_exit = NULL;
}

struct curlload *
curlload_open(char **error)
{
	struct curlload *c;
	const char *why;
	void *h;
	bool ok = true;

	*error = NULL;
	/* RTLD_LAZY: the hundreds of functions of libcurl's libraries that
	 * a session never calls are never looked up. */
	if ((h = dlopen(CURL_SONAME, RTLD_LAZY | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		xasprintf(error, "%s", why != NULL ? why : CURL_SONAME);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->handle = h;
/* dlsym gives an object pointer; POSIX guarantees it converts. */
#define CURLLOAD_SYM(name) do {						\
	if (ok && (*(void **)&c->name = dlsym(h, "curl_" #name)) == NULL) { \
		xasprintf(error, "%s: no curl_%s", CURL_SONAME, #name);	\
		ok = false;						\
	}								\
} while (0)
	CURLLOAD_SYM(global_init);
	CURLLOAD_SYM(global_cleanup);
	CURLLOAD_SYM(easy_init);
	CURLLOAD_SYM(easy_cleanup);
	CURLLOAD_SYM(easy_setopt);
	CURLLOAD_SYM(easy_getinfo);
	CURLLOAD_SYM(multi_init);
	CURLLOAD_SYM(multi_cleanup);
	CURLLOAD_SYM(multi_add_handle);
	CURLLOAD_SYM(multi_remove_handle);
	CURLLOAD_SYM(multi_perform);
	CURLLOAD_SYM(multi_poll);
	CURLLOAD_SYM(multi_info_read);
	CURLLOAD_SYM(slist_append);
	CURLLOAD_SYM(slist_free_all);
#undef CURLLOAD_SYM
	if (ok)
		curlload_ssh2(c);
	if (ok && c->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		xasprintf(error, "%s: curl_global_init failed", CURL_SONAME);
		ok = false;
	}
	if (!ok) {
		if (c->ssh2_exit != NULL)
			c->ssh2_exit();
		dlclose(h);
		free(c);
		return NULL;
	}
	return c;
}

void
curlload_close(struct curlload *c)
{
	if (c == NULL)
		return;
	c->global_cleanup();
	if (c->ssh2_exit != NULL)
		c->ssh2_exit();
	dlclose(c->handle);
	free(c);
}
