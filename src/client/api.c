/* libcurl transport for the service API. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "curlload.h"
#include "jsonutil.h"
#include "xmalloc.h"

/* Answers larger than this are not from our service. */
#define API_MAX_REPLY (1024 * 1024)

struct api {
	struct curlload *curl;	/* NULL until the first request */
	bool load_failed;	/* it could not be: not tried again */
	CURL *easy;
	CURLM *multi;
	char *base;
	char *cacert;
	long timeout;
	/* The answer being received. */
	char *buf;
	size_t len;
	bool overflow;
};

/* Collect the body of an answer. */
static size_t
api_write(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct api *a = ctx;
	size_t n = size * nmemb;

	if (a->len + n > API_MAX_REPLY) {
		a->overflow = true;
		return 0;
	}
	a->buf = xreallocarray(a->buf, a->len + n + 1, 1);
	memcpy(a->buf + a->len, data, n);
	a->len += n;
	a->buf[a->len] = '\0';
	return n;
}

/* Set the options that never change: verification always on, https only. */
static bool
api_setup(struct api *a)
{
	CURL *e = a->easy;
	const struct curlload *c = a->curl;

	return c->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
	    (a->cacert == NULL ||
	    (c->easy_setopt(e, CURLOPT_CAINFO, a->cacert) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_CAPATH, NULL) == CURLE_OK)) &&
	    c->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_TIMEOUT, a->timeout) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	    a->timeout < 10 ? a->timeout : 10L) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_USERAGENT, "madoguchi/"
	    PACKAGE_VERSION) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_WRITEFUNCTION, api_write) == CURLE_OK &&
	    c->easy_setopt(e, CURLOPT_WRITEDATA, a) == CURLE_OK;
}

/* A client for base_url.  Nothing of libcurl is loaded yet: that waits
 * for the first request (curlload.h). */
struct api *
api_new(const char *base_url, const char *cacert, long timeout_s,
    char **error)
{
	struct api *a;
	size_t len;

	*error = NULL;
	if (strncmp(base_url, "https://", 8) != 0) {
		xasprintf(error, "%s: the server URL must start with https://",
		    base_url);
		return NULL;
	}
	a = xcalloc(1, sizeof *a);
	a->base = xstrdup(base_url);
	len = strlen(a->base);
	while (len > 8 && a->base[len - 1] == '/')
		a->base[--len] = '\0';
	a->cacert = cacert != NULL ? xstrdup(cacert) : NULL;
	a->timeout = timeout_s;
	return a;
}

/* Drop the handles and libcurl itself. */
static void
api_unload(struct api *a)
{
	if (a->curl == NULL)
		return;
	if (a->easy != NULL)
		a->curl->easy_cleanup(a->easy);
	if (a->multi != NULL)
		a->curl->multi_cleanup(a->multi);
	a->easy = NULL;
	a->multi = NULL;
	curlload_close(a->curl);
	a->curl = NULL;
}

/* Load libcurl and make the handles, at the first request.  A library
 * that could not be loaded is not looked for again: every request then
 * fails the same way at once, and the reason is told once. */
static enum errcode
api_load(struct api *a)
{
	char *why;

	if (a->curl != NULL)
		return ERR_NONE;
	if (a->load_failed)
		return ERR_NET_NO_LIBRARY;
	if ((a->curl = curlload_open(&why)) == NULL) {
		/* stderr is kept while curses owns the screen and shown
		 * after it: the staff see which library is missing. */
		fprintf(stderr, "madoguchi: %s\n", why);
		free(why);
		a->load_failed = true;
		return ERR_NET_NO_LIBRARY;
	}
	a->easy = a->curl->easy_init();
	a->multi = a->curl->multi_init();
	if (a->easy == NULL || a->multi == NULL || !api_setup(a)) {
		api_unload(a);
		return ERR_NET_OTHER;
	}
	return ERR_NONE;
}

/* Free the handles. */
void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	api_unload(a);
	if (a->buf != NULL)
		wipe(a->buf, a->len);
	free(a->buf);
	free(a->base);
	free(a->cacert);
	free(a);
}

/* A transport failure as one of our codes. */
static enum errcode
api_map_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return ERR_NET_UNREACHABLE;
	case CURLE_OPERATION_TIMEDOUT:
		return ERR_NET_TIMEOUT;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return ERR_NET_CUT;
	/* CURLE_SSL_CACERT is an alias of this one since curl 7.62. */
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		return ERR_NET_CERT_UNTRUSTED;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
		return ERR_NET_TLS;
	default:
		return ERR_NET_OTHER;
	}
}

/* A number of an error's params: every one is a count, a length, a time
 * or seconds, so one that is negative or too large for a whole number
 * (a broken service) counts as absent rather than being shown. */
static long
api_param(const cJSON *params, const char *key)
{
	long long v = json_int_or(params, key, 0);

	return v < 0 ? 0 : (long)v;
}

/* Read {"error":{"code","field","params"}} from an error answer. */
static void
api_parse_error(struct api *a, struct api_result *out)
{
	cJSON *obj = NULL;
	const cJSON *err, *params;
	const char *code, *field;

	out->err = ERR_NET_BAD_RESPONSE;
	if (a->len == 0 || json_parse_object(a->buf, a->len, &obj) != ERR_NONE)
		return;
	err = cJSON_GetObjectItemCaseSensitive(obj, "error");
	if (!cJSON_IsObject(err) ||
	    (code = json_string_or(err, "code", NULL)) == NULL) {
		cJSON_Delete(obj);
		return;
	}
	out->err = errcode_from_name(code);
	/* A code that is a client-only one cannot come from the wire. */
	if (out->err == ERR_NONE || out->err >= ERR_NET_UNREACHABLE)
		out->err = ERR_NET_BAD_RESPONSE;
	if ((field = json_string_or(err, "field", NULL)) != NULL)
		out->field = xstrdup(field);
	params = cJSON_GetObjectItemCaseSensitive(err, "params");
	if (cJSON_IsObject(params)) {
		out->params.min = api_param(params, "min");
		out->params.max = api_param(params, "max");
		out->params.until = api_param(params, "until");
		out->params.remaining = api_param(params, "remaining");
		out->params.retry_after = api_param(params, "retry_after");
	}
	cJSON_Delete(obj);
}

/* Run the transfer through the multi handle, ticking the screen. */
static CURLcode
api_run(struct api *a, api_tick_fn tick, void *ctx, bool *cancelled)
{
	const struct curlload *c = a->curl;
	CURLMsg *msg;
	int running = 1, left;
	CURLcode rc = CURLE_OK;

	*cancelled = false;
	c->multi_add_handle(a->multi, a->easy);
	while (running) {
		if (c->multi_perform(a->multi, &running) != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
		if (!running)
			break;
		c->multi_poll(a->multi, NULL, 0, 100, NULL);
		if (tick != NULL && tick(ctx)) {
			*cancelled = true;
			break;
		}
	}
	while ((msg = c->multi_info_read(a->multi, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == a->easy)
			rc = msg->data.result;
	}
	c->multi_remove_handle(a->multi, a->easy);
	return rc;
}

/* May a request that failed this way be sent once more?  A connection
 * cut before the request was wholly sent (or before one existed) means
 * the service never acted on it: any request may go again.  One cut
 * after it was sent may have been acted on: only a request that is safe
 * to repeat (RFC 9110: GET, HEAD, PUT, DELETE) goes again.  This is what
 * a person does not notice when an instance behind a load balancer goes
 * away (docs/api.md "Several instances"). */
static bool
api_may_retry(const char *method, CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SEND_ERROR:
		return true;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
		return strcmp(method, "GET") == 0 ||
		    strcmp(method, "HEAD") == 0 ||
		    strcmp(method, "PUT") == 0 ||
		    strcmp(method, "DELETE") == 0;
	default:
		return false;
	}
}

/* Send one request; see api.h. */
enum errcode
api_request(struct api *a, const char *method, const char *path,
    const char *token, char *body, api_tick_fn tick, void *ctx,
    struct api_result *out)
{
	const struct curlload *c;
	struct curl_slist *hdr = NULL;
	char *url, *auth = NULL;
	bool cancelled;
	CURLcode rc;

	memset(out, 0, sizeof *out);
	if ((out->err = api_load(a)) != ERR_NONE) {
		if (body != NULL) {
			wipe(body, strlen(body));
			free(body);
		}
		return out->err;
	}
	c = a->curl;
	if (a->buf != NULL)
		wipe(a->buf, a->len);
	free(a->buf);
	a->buf = NULL;
	a->len = 0;
	a->overflow = false;
	xasprintf(&url, "%s%s", a->base, path);
	c->easy_setopt(a->easy, CURLOPT_URL, url);
	hdr = c->slist_append(hdr, "Accept: application/json");
	hdr = c->slist_append(hdr, "Expect:");
	/* libcurl would call an empty POST a form; the service accepts
	 * only JSON, so every request that may carry a body says so. */
	if (body != NULL || strcmp(method, "POST") == 0 ||
	    strcmp(method, "PATCH") == 0 || strcmp(method, "PUT") == 0)
		hdr = c->slist_append(hdr,
		    "Content-Type: application/json; charset=utf-8");
	if (token != NULL) {
		xasprintf(&auth, "Authorization: Bearer %s", token);
		hdr = c->slist_append(hdr, auth);
		free_secret(&auth);
	}
	c->easy_setopt(a->easy, CURLOPT_HTTPHEADER, hdr);
	c->easy_setopt(a->easy, CURLOPT_CUSTOMREQUEST, NULL);
	if (strcmp(method, "GET") == 0)
		c->easy_setopt(a->easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(method, "POST") == 0 || body != NULL) {
		/* POST, and PATCH or PUT with a body: the body goes as POST
		 * data, under the method's own name. */
		c->easy_setopt(a->easy, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "");
		c->easy_setopt(a->easy, CURLOPT_POSTFIELDSIZE,
		    body != NULL ? (long)strlen(body) : 0L);
		if (strcmp(method, "POST") != 0)
			c->easy_setopt(a->easy, CURLOPT_CUSTOMREQUEST, method);
	} else {
		c->easy_setopt(a->easy, CURLOPT_HTTPGET, 1L);
		c->easy_setopt(a->easy, CURLOPT_CUSTOMREQUEST, method);
	}

	rc = api_run(a, tick, ctx, &cancelled);
	if (!cancelled && api_may_retry(method, rc)) {
		if (a->buf != NULL)
			wipe(a->buf, a->len);
		a->len = 0;
		a->overflow = false;
		rc = api_run(a, tick, ctx, &cancelled);
	}

	/* Nothing that was sent stays in memory: the body may hold a
	 * password and the header list holds the token. */
	if (body != NULL) {
		wipe(body, strlen(body));
		free(body);
	}
	c->easy_setopt(a->easy, CURLOPT_POSTFIELDS, NULL);
	c->easy_setopt(a->easy, CURLOPT_HTTPHEADER, NULL);
	for (struct curl_slist *h = hdr; h != NULL; h = h->next)
		wipe(h->data, strlen(h->data));
	c->slist_free_all(hdr);
	free(url);

	if (cancelled)
		return out->err = ERR_NET_CANCELLED;
	if (rc == CURLE_WRITE_ERROR && a->overflow)
		return out->err = ERR_NET_BAD_RESPONSE;
	if (rc != CURLE_OK)
		return out->err = api_map_curl(rc);
	c->easy_getinfo(a->easy, CURLINFO_RESPONSE_CODE, &out->status);
	if (out->status >= 200 && out->status < 300) {
		if (a->len > 0 && json_parse_object(a->buf, a->len,
		    &out->json) != ERR_NONE)
			return out->err = ERR_NET_BAD_RESPONSE;
		return out->err = ERR_NONE;
	}
	api_parse_error(a, out);
	return out->err;
}

/* Wipe every string in a parsed answer: a log-in answer holds the token. */
static void
api_wipe_json(cJSON *j)
{
	for (; j != NULL; j = j->next) {
		if (j->valuestring != NULL)
			wipe(j->valuestring, strlen(j->valuestring));
		api_wipe_json(j->child);
	}
}

/* Free what a result holds. */
void
api_result_free(struct api_result *r)
{
	if (r->json != NULL)
		api_wipe_json(r->json->child);
	cJSON_Delete(r->json);
	free(r->field);
	memset(r, 0, sizeof *r);
}
