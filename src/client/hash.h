/* FNV-1a, 64 bits: a fingerprint of what a row or a layout depends on,
 * to tell whether it must be drawn or laid out again.  Not for secrets
 * and not against an adversary: only the client's own state goes in. */
#ifndef MADOGUCHI_HASH_H
#define MADOGUCHI_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_INIT 0xcbf29ce484222325ULL

/* h continued over n bytes at p. */
static inline uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* h continued over one number. */
static inline uint64_t
hash_int(uint64_t h, long long v)
{
	return hash_bytes(h, &v, sizeof v);
}

#endif
