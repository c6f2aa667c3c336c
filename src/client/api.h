/* HTTPS requests to the service (docs/api.md) through one libcurl easy
 * handle for the whole run, so the TLS connection is reused, driven by a
 * multi handle so the screen stays alive and Esc can cancel.  libcurl is
 * loaded by the first request (curlload.h): one it cannot load fails with
 * ERR_NET_NO_LIBRARY, as does every later one. */
#ifndef MADOGUCHI_API_H
#define MADOGUCHI_API_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "errmsg.h"

struct api;

/* Called about every 100 ms while a request runs; true cancels it. */
typedef bool (*api_tick_fn)(void *ctx);

/* What a request came back with. */
struct api_result {
	long status;		/* HTTP status, 0 if none */
	cJSON *json;		/* 2xx body, NULL if empty */
	enum errcode err;	/* ERR_NONE on 2xx */
	char *field;		/* error.field, or NULL */
	struct errparams params;
};

/* A client for base_url ("https://host:port"); NULL and *error set if
 * the URL is not https.  Nothing is loaded or connected yet. */
struct api *api_new(const char *base_url, const char *cacert,
    long timeout_s, char **error);
/* Free the handles. */
void api_free(struct api *);
/* Send method path with an optional bearer token and JSON body.  The
 * body is wiped and freed once sent: it may hold a password. */
enum errcode api_request(struct api *, const char *method, const char *path,
    const char *token, char *body, api_tick_fn, void *ctx,
    struct api_result *out);
/* Free what a result holds. */
void api_result_free(struct api_result *);

#endif
