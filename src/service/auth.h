/* Password hashing (argon2id through libsodium) with a bound on how many
 * hashes run at once, and session tokens.
 *
 * Each argon2id call takes hash_memory KiB (OWASP's 19 MiB by default)
 * and tens of milliseconds on purpose; hash_concurrency slots keep a
 * burst of log-ins from exhausting memory.
 * A caller that cannot get a slot within 10 seconds gets AUTH_BUSY and
 * the client is told to retry (503 service_busy). */
#ifndef MADOGUCHID_AUTH_H
#define MADOGUCHID_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

enum auth_rc {
	AUTH_OK = 0,
	AUTH_MISMATCH,		/* password does not match */
	AUTH_BUSY,		/* no hashing slot within the wait */
	AUTH_ERROR
};

/* Session tokens: 32 random bytes sent as 43 characters of unpadded
 * base64url (docs/api.md); the store keeps only their generichash. */
#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_CHARS 43
#define AUTH_TOKEN_HASH_BYTES 32

struct auth;

/* Initialise libsodium and the slots; hashes cost hash_time passes over
 * hash_memory_kib KiB (argon2id's t and m).  NULL on failure. */
struct auth *auth_new(long concurrency, long wait, long hash_time,
    long hash_memory_kib);
/* Free the slots. */
void auth_free(struct auth *);

/* Hash a password for storage into out (crypto_pwhash_STRBYTES). */
enum auth_rc auth_hash(struct auth *, const char *password,
    char out[crypto_pwhash_STRBYTES]);
/* What an account without a usable password stores instead of a hash
 * (user-import without one: the person sets it with a mailed key).  It
 * is no argon2id string, so it matches no password. */
#define AUTH_NO_PASSWORD "!"

/* Check a password against a stored hash.  hash == NULL, or a stored
 * value that is no argon2id hash (AUTH_NO_PASSWORD), checks against a
 * fixed dummy hash and always answers AUTH_MISMATCH, so that an unknown
 * user ID, or an account without a password, costs the same time as a
 * wrong password. */
enum auth_rc auth_verify(struct auth *, const char *hash,
    const char *password);

/* Can a hash from elsewhere (user-import) be stored as it is: an
 * argon2id string as libsodium writes it, verifiable here, costing at
 * most AUTH_IMPORT_MAX_MEMORY KiB and AUTH_IMPORT_MAX_PASSES passes?
 * true, or false with *why (a static English phrase). */
bool auth_hash_importable(const char *hash, const char **why);
/* libsodium's "sensitive" limits: above them every log-in of the user
 * would cost more than any setting of this service makes it. */
#define AUTH_IMPORT_MAX_MEMORY 1048576L
#define AUTH_IMPORT_MAX_PASSES 16L

/* Was hash made with another cost or algorithm than the configured? */
bool auth_needs_rehash(const struct auth *, const char *hash);
/* Hashes a second one thread computes, measured for about seconds. */
double auth_rate(const struct auth *, double seconds);

/* Make a new token: its text (NUL-terminated) and the hash to store. */
void auth_token_new(char text[AUTH_TOKEN_CHARS + 1],
    unsigned char hash[AUTH_TOKEN_HASH_BYTES]);
/* Hash a token as presented; -1 if it is not a well-formed token. */
int auth_token_hash(const char *text, size_t len,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES]);

#endif
