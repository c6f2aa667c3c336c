/* JSON replies and error bodies. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "xmalloc.h"

/* Serialise obj into the reply and free it, first wiping the string
 * member secret (if not NULL) of the top-level object. */
static void
reply_json_wiping(struct http_reply *r, int status, cJSON *obj,
    const char *secret)
{
	char *text = cJSON_PrintUnformatted(obj);

	if (secret != NULL) {
		cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, secret);

		if (cJSON_IsString(item) && item->valuestring != NULL)
			wipe(item->valuestring, strlen(item->valuestring));
	}
	cJSON_Delete(obj);
	free(r->body);
	r->status = status;
	if (text == NULL) {
		/* Only on allocation failure inside cJSON. */
		r->status = 500;
		r->body = xstrdup("{\"error\":{\"code\":\"internal_error\","
		    "\"field\":null,\"params\":{},\"message\":"
		    "\"cannot build the answer\"}}");
		return;
	}
	r->body = xstrdup(text);
	/* A reply may carry a session token. */
	wipe(text, strlen(text));
	cJSON_free(text);
}

/* Serialise obj into the reply and free it. */
void
reply_json(struct http_reply *r, int status, cJSON *obj)
{
	reply_json_wiping(r, status, obj, NULL);
}

/* The same, for a body that carries a secret member. */
void
reply_json_secret(struct http_reply *r, int status, cJSON *obj,
    const char *secret)
{
	reply_json_wiping(r, status, obj, secret);
}

/* A reply with no body. */
void
reply_empty(struct http_reply *r, int status)
{
	free(r->body);
	r->body = NULL;
	r->status = status;
}

/* An error reply in the shape of docs/api.md. */
void
reply_error(struct http_reply *r, enum errcode code, const char *field,
    cJSON *params, const char *fmt, ...)
{
	cJSON *root = cJSON_CreateObject(), *err = cJSON_CreateObject();
	char *message;
	va_list ap;

	va_start(ap, fmt);
	xvasprintf(&message, fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(err, "code", errcode_name(code));
	if (field != NULL)
		cJSON_AddStringToObject(err, "field", field);
	else
		cJSON_AddNullToObject(err, "field");
	cJSON_AddItemToObject(err, "params",
	    params != NULL ? params : cJSON_CreateObject());
	cJSON_AddStringToObject(err, "message", message);
	cJSON_AddItemToObject(root, "error", err);
	free(message);
	reply_json(r, errcode_http_status(code), root);
	if (code == ERR_SERVICE_BUSY)
		r->retry_after = 1;
}

/* Release a reply's strings, wiping the body (it may hold a token). */
void
reply_clear(struct http_reply *r)
{
	if (r->body != NULL)
		wipe(r->body, strlen(r->body));
	free(r->body);
	free(r->allow);
	memset(r, 0, sizeof *r);
}
