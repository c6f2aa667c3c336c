/* Password hashing (argon2id through libsodium) with a bound on how many
 * hashes run at once, and session tokens.
 *
 * Each argon2id call takes 64 MiB and tens of milliseconds on purpose;
 * hash_concurrency slots keep a burst of log-ins from exhausting memory.
 * A caller that cannot get a slot within 10 seconds gets AUTH_BUSY and
 * the client is told to retry (503 service_busy). */
#ifndef MADOGUCHID_AUTH_H
#define MADOGUCHID_AUTH_H

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

/* Initialise libsodium and the slots; NULL on failure. */
struct auth *auth_new(long concurrency, long wait);
/* Free the slots. */
void auth_free(struct auth *);

/* Hash a password for storage into out (crypto_pwhash_STRBYTES). */
enum auth_rc auth_hash(struct auth *, const char *password,
    char out[crypto_pwhash_STRBYTES]);
/* Check a password against a stored hash.  hash == NULL checks against
 * a fixed dummy hash and always answers AUTH_MISMATCH, so that an unknown
 * user ID costs the same time as a wrong password. */
enum auth_rc auth_verify(struct auth *, const char *hash,
    const char *password);

/* Make a new token: its text (NUL-terminated) and the hash to store. */
void auth_token_new(char text[AUTH_TOKEN_CHARS + 1],
    unsigned char hash[AUTH_TOKEN_HASH_BYTES]);
/* Hash a token as presented; -1 if it is not a well-formed token. */
int auth_token_hash(const char *text, size_t len,
    unsigned char hash[AUTH_TOKEN_HASH_BYTES]);

#endif
