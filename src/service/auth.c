/* Password hashing with bounded concurrency, and session tokens. */
#include "config.h"

#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "log.h"
#include "xmalloc.h"

struct auth {
	sem_t slots;
	long wait;		/* seconds a request may wait for a slot */
	/* Hash of a random password nobody knows: verified against when the
	 * user ID does not exist, for equal timing. */
	char dummy_hash[crypto_pwhash_STRBYTES];
};

/* Take a hashing slot, waiting at most a->wait seconds. */
static int
auth_slot_take(struct auth *a)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += a->wait;
	while (sem_timedwait(&a->slots, &deadline) != 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* Give a hashing slot back. */
static void
auth_slot_give(struct auth *a)
{
	sem_post(&a->slots);
}

/* Hash with the interactive limits, without taking a slot. */
static int
auth_hash_raw(const char *password, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* Initialise libsodium and the slots. */
struct auth *
auth_new(long concurrency, long wait)
{
	struct auth *a;
	unsigned char secret[32];
	char text[sizeof secret * 2 + 1];

	if (sodium_init() < 0)
		return NULL;
	a = xcalloc(1, sizeof *a);
	a->wait = wait;
	if (sem_init(&a->slots, 0, (unsigned int)concurrency) != 0) {
		free(a);
		return NULL;
	}
	randombytes_buf(secret, sizeof secret);
	sodium_bin2hex(text, sizeof text, secret, sizeof secret);
	if (auth_hash_raw(text, a->dummy_hash) != 0) {
		sodium_memzero(text, sizeof text);
		sem_destroy(&a->slots);
		free(a);
		return NULL;
	}
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(text, sizeof text);
	return a;
}

/* Free the slots. */
void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	sem_destroy(&a->slots);
	free(a);
}

/* Hash a password for storage. */
enum auth_rc
auth_hash(struct auth *a, const char *password,
    char out[crypto_pwhash_STRBYTES])
{
	int rc;

	if (auth_slot_take(a) != 0)
		return AUTH_BUSY;
	rc = auth_hash_raw(password, out);
	auth_slot_give(a);
	if (rc != 0) {
		log_warn("password hashing failed (out of memory?)");
		return AUTH_ERROR;
	}
	return AUTH_OK;
}

/* Check a password against a stored hash, or the dummy one. */
enum auth_rc
auth_verify(struct auth *a, const char *hash, const char *password)
{
	int rc;

	if (auth_slot_take(a) != 0)
		return AUTH_BUSY;
	rc = crypto_pwhash_str_verify(hash != NULL ? hash : a->dummy_hash,
	    password, strlen(password));
	auth_slot_give(a);
	if (hash == NULL)
		return AUTH_MISMATCH;
	return rc == 0 ? AUTH_OK : AUTH_MISMATCH;
}

/* Make a new token and the hash to store. */
void
auth_token_new(char text[AUTH_TOKEN_CHARS + 1],
    unsigned char hash[AUTH_TOKEN_HASH_BYTES])
{
	unsigned char raw[AUTH_TOKEN_BYTES];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(text, AUTH_TOKEN_CHARS + 1, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(hash, AUTH_TOKEN_HASH_BYTES, raw, sizeof raw,
	    NULL, 0);
	sodium_memzero(raw, sizeof raw);
}

/* Hash a token as presented. */
int
auth_token_hash(const char *text, size_t len,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	size_t rawlen = 0;
	const char *end = NULL;

	if (len != AUTH_TOKEN_CHARS)
		return -1;
	if (sodium_base642bin(raw, sizeof raw, text, len, NULL, &rawlen,
	    &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    rawlen != sizeof raw || end != text + len)
		return -1;
	crypto_generichash(hash, AUTH_TOKEN_HASH_BYTES, raw, sizeof raw,
	    NULL, 0);
	sodium_memzero(raw, sizeof raw);
	return 0;
}
