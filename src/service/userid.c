/* Issuing user IDs from the random source. */
#include "config.h"

#include <stdio.h>

#include <sodium.h>

#include "userid.h"

/* IM + 8 digits. */
void
userid_immigration(char *out, size_t size)
{
	snprintf(out, size, "IM%08u", (unsigned)randombytes_uniform(
	    100000000));
}

/* KN/KI + two letters + four digits, the same tail for both (002 §2:
 * KNCA6288 and KICA6288 belong together). */
void
userid_oss(char *payment, char *bulk, size_t size)
{
	char a = (char)('A' + randombytes_uniform(26));
	char b = (char)('A' + randombytes_uniform(26));
	unsigned n = (unsigned)randombytes_uniform(10000);

	snprintf(payment, size, "KN%c%c%04u", a, b, n);
	snprintf(bulk, size, "KI%c%c%04u", a, b, n);
}
