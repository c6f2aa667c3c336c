/* Loading libcurl at the first request (curlload.h says why). */
#include "config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>

#include "curlload.h"
#include "xmalloc.h"

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
	if (ok && c->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		xasprintf(error, "%s: curl_global_init failed", CURL_SONAME);
		ok = false;
	}
	if (!ok) {
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
	dlclose(c->handle);
	free(c);
}
