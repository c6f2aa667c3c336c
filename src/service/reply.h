/* Filling an http_reply: JSON bodies and the one error body shape of
 * docs/api.md: {"error":{"code","field","params","message"}}. */
#ifndef MADOGUCHID_REPLY_H
#define MADOGUCHID_REPLY_H

#include <cjson/cJSON.h>

#include "errcode.h"
#include "http.h"

/* A JSON reply; takes ownership of obj. */
void reply_json(struct http_reply *, int status, cJSON *obj);
/* A JSON reply whose top-level string member secret (a token) is wiped
 * from memory once printed; takes ownership of obj. */
void reply_json_secret(struct http_reply *, int status, cJSON *obj,
    const char *secret);
/* A reply with no body (204). */
void reply_empty(struct http_reply *, int status);
/* An error reply: status from the code, field may be NULL, params may be
 * NULL (an empty object is sent) and is owned afterwards; message is
 * English for developers and logs. */
void reply_error(struct http_reply *, enum errcode, const char *field,
    cJSON *params, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Release a reply's strings. */
void reply_clear(struct http_reply *);

#endif
