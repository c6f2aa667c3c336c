/* Case-insensitive keys of user IDs and e-mail addresses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "userkey.h"
#include "xmalloc.h"

/* ASCII lower case; the locale must not decide what an ID means. */
static char
userkey_fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The key of an ID or address. */
char *
userkey_of(const char *id)
{
	char *key = xstrdup(id);

	for (char *p = key; *p != '\0'; p++)
		*p = userkey_fold(*p);
	return key;
}

/* Same key? */
bool
userkey_equal(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		if (userkey_fold(*a) != userkey_fold(*b))
			return false;
	}
	return *a == *b;
}

/* A hash of the key (personalised, so that it matches no other hash
 * the service keeps). */
void
userkey_hash(const char *id, unsigned char out[USERKEY_HASH_BYTES])
{
	static const unsigned char context[] = "madoguchid user ID key v1";
	char *key = userkey_of(id);

	crypto_generichash(out, USERKEY_HASH_BYTES, (const unsigned char *)key,
	    strlen(key), context, sizeof context - 1);
	wipe(key, strlen(key));
	free(key);
}
