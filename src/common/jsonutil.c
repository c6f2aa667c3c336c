/* Strict JSON reading on top of cJSON. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jsonstrict.h"
#include "jsonutil.h"
#include "validate.h"

enum errcode
json_parse_object(const char *body, size_t len, cJSON **out)
{
	const char *end = NULL;
	cJSON *root;

	*out = NULL;
	if (body == NULL || len == 0)
		return ERR_MALFORMED_JSON;
	if (!utf8_valid(body, len))
		return ERR_INVALID_ENCODING;
	/* cJSON stops at a NUL; one inside the body is not JSON. */
	if (memchr(body, '\0', len) != NULL)
		return ERR_MALFORMED_JSON;
	/* cJSON accepts more than JSON (jsonstrict.h): check the grammar first. */
	if (!jsonstrict_valid(body, len))
		return ERR_MALFORMED_JSON;
	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (root == NULL)
		return ERR_MALFORMED_JSON;
	while (end != NULL && end < body + len &&
	    (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
		end++;
	if (end != body + len || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return ERR_MALFORMED_JSON;
	}
	*out = root;
	return ERR_NONE;
}

enum errcode
json_check_fields(const cJSON *obj, const char *const *allowed,
    const char **field)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, obj) {
		const char *const *a;

		for (a = allowed; *a != NULL; a++) {
			if (item->string != NULL && strcmp(*a, item->string) == 0)
				break;
		}
		if (*a == NULL) {
			*field = item->string;
			return ERR_UNKNOWN_FIELD;
		}
		/* A name given twice is ambiguous: refuse it. */
		for (const cJSON *o = obj->child; o != item; o = o->next) {
			if (strcmp(o->string, item->string) == 0) {
				*field = item->string;
				return ERR_MALFORMED_JSON;
			}
		}
	}
	return ERR_NONE;
}

enum errcode
json_get_string(const cJSON *obj, const char *key, bool required,
    size_t maxbytes, const char **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (item == NULL || cJSON_IsNull(item))
		return required ? ERR_MISSING_FIELD : ERR_NONE;
	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return ERR_WRONG_TYPE;
	if (strlen(item->valuestring) > maxbytes)
		return ERR_TOO_LONG;
	*out = item->valuestring;
	return ERR_NONE;
}

enum errcode
json_get_int(const cJSON *obj, const char *key, bool required,
    long long *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d;

	if (item == NULL || cJSON_IsNull(item))
		return required ? ERR_MISSING_FIELD : ERR_NONE;
	if (!cJSON_IsNumber(item))
		return ERR_WRONG_TYPE;
	d = item->valuedouble;
	if (!isfinite(d) || d != floor(d) || d > 9e15 || d < -9e15)
		return ERR_WRONG_TYPE;
	*out = (long long)d;
	return ERR_NONE;
}

const char *
json_string_or(const cJSON *obj, const char *key, const char *def)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return def;
	return item->valuestring;
}

long long
json_int_or(const cJSON *obj, const char *key, long long def)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	/* Past ±9e15 a double no longer holds every whole number, and past
	 * long long converting it is undefined: such a value is no value. */
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) ||
	    item->valuedouble > 9e15 || item->valuedouble < -9e15)
		return def;
	return (long long)item->valuedouble;
}
