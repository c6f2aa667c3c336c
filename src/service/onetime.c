/* One-time codes and keys: making, showing, sealing, matching. */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "onetime.h"

/* No I, O, 0 or 1: nothing a person could misread from a printed mail.
 * 32 letters, so randombytes_uniform draws each with 5 bits. */
static const char onetime_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

#define ONETIME_SALT_BYTES 16
#define ONETIME_HASH_BYTES (ONETIME_SEAL_BYTES - ONETIME_SALT_BYTES)

_Static_assert(ONETIME_SALT_BYTES >= crypto_generichash_KEYBYTES_MIN,
    "the salt is the generichash key");

/* A new code from libsodium's random source. */
void
onetime_new(enum code_kind kind, long length, char out[ONETIME_MAX])
{
	long i;

	if (length < 1)
		length = 1;
	if (length > ONETIME_MAX - 1)
		length = ONETIME_MAX - 1;
	for (i = 0; i < length; i++) {
		if (kind == CODE_DIGITS)
			out[i] = (char)('0' + randombytes_uniform(10));
		else
			out[i] = onetime_alphabet[randombytes_uniform(
			    sizeof onetime_alphabet - 1)];
	}
	out[i] = '\0';
}

/* Keys in groups of four for reading and typing. */
void
onetime_shown(enum code_kind kind, const char *code,
    char out[ONETIME_SHOWN_MAX])
{
	size_t n = 0;

	for (size_t i = 0; code[i] != '\0' && n + 2 < ONETIME_SHOWN_MAX;
	    i++) {
		if (kind == CODE_KEY && i > 0 && i % 4 == 0)
			out[n++] = '-';
		out[n++] = code[i];
	}
	out[n] = '\0';
}

/* The canonical form: upper case, no spaces or hyphens; false when it
 * does not fit (then it cannot match anything we issued). */
static bool
onetime_canonical(const char *typed, char out[ONETIME_MAX])
{
	size_t n = 0;

	for (const char *p = typed; *p != '\0'; p++) {
		char c = *p;

		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n + 1 >= ONETIME_MAX)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

/* The keyed hash of a canonical code. */
static void
onetime_hash(const char *canon, const unsigned char *salt,
    unsigned char out[ONETIME_HASH_BYTES])
{
	crypto_generichash(out, ONETIME_HASH_BYTES,
	    (const unsigned char *)canon, strlen(canon), salt,
	    ONETIME_SALT_BYTES);
}

/* Seal with a fresh salt. */
void
onetime_seal(const char *code, unsigned char seal[ONETIME_SEAL_BYTES])
{
	char canon[ONETIME_MAX];

	randombytes_buf(seal, ONETIME_SALT_BYTES);
	if (!onetime_canonical(code, canon))
		canon[0] = '\0';
	onetime_hash(canon, seal, seal + ONETIME_SALT_BYTES);
	sodium_memzero(canon, sizeof canon);
}

/* Compare a typed code with a seal. */
bool
onetime_matches(const char *typed, const void *seal, size_t seal_len)
{
	unsigned char hash[ONETIME_HASH_BYTES];
	char canon[ONETIME_MAX];
	bool ok;

	if (seal == NULL || seal_len != ONETIME_SEAL_BYTES ||
	    !onetime_canonical(typed, canon) || canon[0] == '\0')
		return false;
	onetime_hash(canon, seal, hash);
	ok = sodium_memcmp(hash, (const unsigned char *)seal +
	    ONETIME_SALT_BYTES, sizeof hash) == 0;
	sodium_memzero(canon, sizeof canon);
	return ok;
}
