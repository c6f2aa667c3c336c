/* Client keys and counter names for rate limits. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ratelimit_key.h"
#include "xmalloc.h"

/* Bytes of the hash in a counter's name. */
#define RATELIMIT_HASH_BYTES 16

/* The key of a client address. */
void
ratelimit_client_key(const char *addr, char out[RATELIMIT_CLIENT_MAX])
{
	struct in6_addr a6;
	struct in_addr a4;
	char text[INET6_ADDRSTRLEN];

	if (addr != NULL && inet_pton(AF_INET, addr, &a4) == 1) {
		inet_ntop(AF_INET, &a4, out, RATELIMIT_CLIENT_MAX);
		return;
	}
	if (addr == NULL || inet_pton(AF_INET6, addr, &a6) != 1) {
		snprintf(out, RATELIMIT_CLIENT_MAX, "unknown");
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		memcpy(&a4, &a6.s6_addr[12], sizeof a4);
		inet_ntop(AF_INET, &a4, out, RATELIMIT_CLIENT_MAX);
		return;
	}
	/* The interface identifier is the holder's to choose: an address
	 * per request costs nothing, a /64 is what one party gets. */
	memset(&a6.s6_addr[8], 0, 8);
	inet_ntop(AF_INET6, &a6, text, sizeof text);
	snprintf(out, RATELIMIT_CLIENT_MAX, "%s/64", text);
}

/* The counter's name for kind, scope and key. */
void
ratelimit_bucket(const char *kind, char scope, const char *key,
    char out[RATELIMIT_BUCKET_MAX])
{
	unsigned char hash[RATELIMIT_HASH_BYTES];
	char hex[RATELIMIT_HASH_BYTES * 2 + 1];
	size_t len = strlen(key);
	char *folded = xmalloc(len + 1);

	/* ASCII only: the service's addresses and IDs are ASCII, and
	 * locale-dependent case mapping would split one target in two. */
	for (size_t i = 0; i <= len; i++)
		folded[i] = key[i] >= 'A' && key[i] <= 'Z' ?
		    (char)(key[i] - 'A' + 'a') : key[i];
	crypto_generichash(hash, sizeof hash, (const unsigned char *)folded,
	    len, NULL, 0);
	wipe(folded, len);
	free_clear(&folded);
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	snprintf(out, RATELIMIT_BUCKET_MAX, "%s/%c/%s", kind, scope, hex);
}
