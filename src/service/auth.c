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
	unsigned long long opslimit;	/* argon2id t */
	size_t memlimit;		/* argon2id m, bytes */
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

/* Hash with the configured cost, without taking a slot. */
static int
auth_hash_raw(const struct auth *a, const char *password,
    char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str_alg(out, password, strlen(password),
	    a->opslimit, a->memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

/* Initialise libsodium and the slots. */
struct auth *
auth_new(long concurrency, long wait, long hash_time, long hash_memory_kib)
{
	struct auth *a;
	unsigned char secret[32];
	char text[sizeof secret * 2 + 1];

	if (sodium_init() < 0)
		return NULL;
	a = xcalloc(1, sizeof *a);
	a->wait = wait;
	a->opslimit = (unsigned long long)hash_time;
	a->memlimit = (size_t)hash_memory_kib * 1024;
	if (sem_init(&a->slots, 0, (unsigned int)concurrency) != 0) {
		free(a);
		return NULL;
	}
	randombytes_buf(secret, sizeof secret);
	sodium_bin2hex(text, sizeof text, secret, sizeof secret);
	if (auth_hash_raw(a, text, a->dummy_hash) != 0) {
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
	rc = auth_hash_raw(a, password, out);
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

	/* No hash (AUTH_NO_PASSWORD): the dummy's cost, and no match. */
	if (hash != NULL && strncmp(hash, "$argon2", 7) != 0)
		hash = NULL;
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

/* The number after "name=" in an argon2 string's parameters, or -1. */
static long
auth_hash_param(const char *hash, const char *name)
{
	const char *p = strstr(hash, name);
	long v = 0;

	if (p == NULL)
		return -1;
	for (p += strlen(name); *p >= '0' && *p <= '9'; p++) {
		if (v > 100000000L)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* Can a hash from elsewhere be stored as it is? */
bool
auth_hash_importable(const char *hash, const char **why)
{
	long memory, passes;

	*why = NULL;
	/* libsodium parses the whole string (form, version, base64 of
	 * salt and hash) and answers -1 for anything it could not
	 * verify. */
	if (strlen(hash) >= crypto_pwhash_STRBYTES ||
	    strncmp(hash, "$argon2id$", 10) != 0 ||
	    crypto_pwhash_argon2id_str_needs_rehash(hash, 1, 8192) == -1) {
		*why = "not an argon2id hash as libsodium writes it";
		return false;
	}
	memory = auth_hash_param(hash, "$m=");
	passes = auth_hash_param(hash, ",t=");
	if (memory < 0 || passes < 0 || memory > AUTH_IMPORT_MAX_MEMORY ||
	    passes > AUTH_IMPORT_MAX_PASSES) {
		*why = "costs more than 1 GiB or 16 passes";
		return false;
	}
	return true;
}

/* Was this stored hash made with another cost than the configured one
 * (or another algorithm)?  Then it is made again at the next log-in. */
bool
auth_needs_rehash(const struct auth *a, const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, a->opslimit,
	    a->memlimit) != 0;
}

/* Hashes a second on one thread, measured for about `seconds`. */
double
auth_rate(const struct auth *a, double seconds)
{
	char out[crypto_pwhash_STRBYTES];
	struct timespec start, now;
	double elapsed;
	long n = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (auth_hash_raw(a, "a password nobody uses", out) != 0)
			return 0;
		n++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - start.tv_sec) +
		    (double)(now.tv_nsec - start.tv_nsec) / 1e9;
	} while (elapsed < seconds);
	return (double)n / elapsed;
}
