/* One-time codes and keys (R4 registration, A2 reset, M3 e-mail change,
 * M6 bulk reset): made from libsodium's random source, shown to the
 * person in a mail, stored only as a salted hash. */
#ifndef MADOGUCHID_ONETIME_H
#define MADOGUCHID_ONETIME_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"

/* Longest code or key (settings allow 64) with its NUL. */
#define ONETIME_MAX 65
/* The same shown in groups of 4 joined by hyphens. */
#define ONETIME_SHOWN_MAX (ONETIME_MAX + ONETIME_MAX / 4 + 1)
/* A stored hash: a random 16-byte key, then the keyed generichash. */
#define ONETIME_SEAL_BYTES 48

/* A new code: length digits, or length characters of the unambiguous
 * key alphabet. */
void onetime_new(enum code_kind, long length, char out[ONETIME_MAX]);
/* The code as the mail shows it: keys grouped by 4 ("ABCD-EFGH-JKLM"),
 * digits as they are. */
void onetime_shown(enum code_kind, const char *code,
    char out[ONETIME_SHOWN_MAX]);
/* Seal a code for storage with a fresh random salt. */
void onetime_seal(const char *code, unsigned char seal[ONETIME_SEAL_BYTES]);
/* Does the typed code match the seal?  Case, spaces and hyphens are
 * ignored (docs/api.md); constant-time comparison. */
bool onetime_matches(const char *typed, const void *seal, size_t seal_len);

#endif
