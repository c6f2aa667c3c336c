/* libcurl, loaded by the client's first request rather than linked.
 *
 * Linking libcurl means linking the two dozen libraries Debian builds it
 * with (GnuTLS, OpenSSL through libssh2, Kerberos, LDAP, RTMP...):
 * relocating them cost 13 M instructions, two thirds of a start, before
 * main() could draw anything, and most of the client's memory.  A person
 * sees home, and may leave it, before any of it is needed, so the library
 * is dlopen()ed once home is drawn, when the first request is made
 * (systemd loads its optional libraries the same way).  libcurl is still
 * the HTTP library, with all it does (proxies from https_proxy and the
 * like, HTTP/1.1 and 2, connection reuse): only when it is loaded moved.
 *
 * These are the functions api.c calls, each typed as curl.h declares
 * it; the caller calls them through the struct. */
#ifndef MADOGUCHI_CURLLOAD_H
#define MADOGUCHI_CURLLOAD_H

#include <curl/curl.h>

#define CURLLOAD_FN(name) __typeof__(curl_##name) *name

struct curlload {
	void *handle;
	int (*ssh2_exit)(void);		/* see curlload.c; may be NULL */
	CURLLOAD_FN(global_init);
	CURLLOAD_FN(global_cleanup);
	CURLLOAD_FN(easy_init);
	CURLLOAD_FN(easy_cleanup);
	CURLLOAD_FN(easy_setopt);
	CURLLOAD_FN(easy_getinfo);
	CURLLOAD_FN(multi_init);
	CURLLOAD_FN(multi_cleanup);
	CURLLOAD_FN(multi_add_handle);
	CURLLOAD_FN(multi_remove_handle);
	CURLLOAD_FN(multi_perform);
	CURLLOAD_FN(multi_poll);
	CURLLOAD_FN(multi_info_read);
	CURLLOAD_FN(slist_append);
	CURLLOAD_FN(slist_free_all);
};

/* Load libcurl (CURL_SONAME, the library configure saw a program link
 * with) and initialise it; NULL if it or one of its functions is missing,
 * with *error the loader's reason (not translated: for a log or the
 * staff). */
struct curlload *curlload_open(char **error);
/* Clean libcurl up and unload it (NULL: nothing). */
void curlload_close(struct curlload *);

#endif
