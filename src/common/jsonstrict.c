/* Strict JSON syntax check (RFC 8259 §2-§7). */
#include "config.h"

#include <string.h>

#include "jsonstrict.h"

/* Request bodies are flat; this bounds the recursion. */
#define JSONSTRICT_DEPTH 64

/* A cursor over the text. */
struct jsonstrict {
	const unsigned char *p;
	const unsigned char *end;
};

static bool jsonstrict_value(struct jsonstrict *, int depth);

/* RFC 8259 §2: white space is space, tab, line feed, carriage return. */
static void
jsonstrict_ws(struct jsonstrict *js)
{
	while (js->p < js->end && (*js->p == ' ' || *js->p == '\t' ||
	    *js->p == '\n' || *js->p == '\r'))
		js->p++;
}

/* Consume c if it is next. */
static bool
jsonstrict_eat(struct jsonstrict *js, unsigned char c)
{
	if (js->p < js->end && *js->p == c) {
		js->p++;
		return true;
	}
	return false;
}

/* Consume a literal word (true, false, null). */
static bool
jsonstrict_word(struct jsonstrict *js, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(js->end - js->p) < n || memcmp(js->p, word, n) != 0)
		return false;
	js->p += n;
	return true;
}

/* Consume one or more digits. */
static bool
jsonstrict_digits(struct jsonstrict *js)
{
	const unsigned char *start = js->p;

	while (js->p < js->end && *js->p >= '0' && *js->p <= '9')
		js->p++;
	return js->p > start;
}

/* §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool
jsonstrict_number(struct jsonstrict *js)
{
	jsonstrict_eat(js, '-');
	if (jsonstrict_eat(js, '0')) {
		/* no leading zeros */
	} else if (!jsonstrict_digits(js))
		return false;
	if (jsonstrict_eat(js, '.') && !jsonstrict_digits(js))
		return false;
	if (jsonstrict_eat(js, 'e') || jsonstrict_eat(js, 'E')) {
		if (!jsonstrict_eat(js, '+'))
			jsonstrict_eat(js, '-');
		if (!jsonstrict_digits(js))
			return false;
	}
	return true;
}

/* Is c a hexadecimal digit? */
static bool
jsonstrict_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* §7: a string; no raw control characters, only the defined escapes. */
static bool
jsonstrict_string(struct jsonstrict *js)
{
	if (!jsonstrict_eat(js, '"'))
		return false;
	while (js->p < js->end) {
		unsigned char c = *js->p++;

		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (js->p >= js->end)
			return false;
		c = *js->p++;
		if (c == 'u') {
			if (js->end - js->p < 4 || !jsonstrict_hex(js->p[0]) ||
			    !jsonstrict_hex(js->p[1]) ||
			    !jsonstrict_hex(js->p[2]) ||
			    !jsonstrict_hex(js->p[3]))
				return false;
			/* cJSON would end the string at a NUL. */
			if (memcmp(js->p, "0000", 4) == 0)
				return false;
			js->p += 4;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return false;
	}
	return false;
}

/* §4: an object. */
static bool
jsonstrict_object(struct jsonstrict *js, int depth)
{
	js->p++;	/* '{' */
	jsonstrict_ws(js);
	if (jsonstrict_eat(js, '}'))
		return true;
	for (;;) {
		jsonstrict_ws(js);
		if (!jsonstrict_string(js))
			return false;
		jsonstrict_ws(js);
		if (!jsonstrict_eat(js, ':') || !jsonstrict_value(js, depth))
			return false;
		if (jsonstrict_eat(js, '}'))
			return true;
		if (!jsonstrict_eat(js, ','))
			return false;
	}
}

/* §5: an array. */
static bool
jsonstrict_array(struct jsonstrict *js, int depth)
{
	js->p++;	/* '[' */
	jsonstrict_ws(js);
	if (jsonstrict_eat(js, ']'))
		return true;
	for (;;) {
		if (!jsonstrict_value(js, depth))
			return false;
		if (jsonstrict_eat(js, ']'))
			return true;
		if (!jsonstrict_eat(js, ','))
			return false;
	}
}

/* §3: a value with white space around it. */
static bool
jsonstrict_value(struct jsonstrict *js, int depth)
{
	bool ok;

	if (depth >= JSONSTRICT_DEPTH)
		return false;
	jsonstrict_ws(js);
	if (js->p >= js->end)
		return false;
	switch (*js->p) {
	case '{':
		ok = jsonstrict_object(js, depth + 1);
		break;
	case '[':
		ok = jsonstrict_array(js, depth + 1);
		break;
	case '"':
		ok = jsonstrict_string(js);
		break;
	case 't':
		ok = jsonstrict_word(js, "true");
		break;
	case 'f':
		ok = jsonstrict_word(js, "false");
		break;
	case 'n':
		ok = jsonstrict_word(js, "null");
		break;
	default:
		ok = jsonstrict_number(js);
		break;
	}
	jsonstrict_ws(js);
	return ok;
}

/* Is text exactly one JSON value? */
bool
jsonstrict_valid(const char *text, size_t len)
{
	struct jsonstrict js = {
		(const unsigned char *)text,
		(const unsigned char *)text + len
	};

	return jsonstrict_value(&js, 0) && js.p == js.end;
}
