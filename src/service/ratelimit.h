/* Rate limits on the attempts that send mail or guess a secret (issue 9;
 * docs/api.md "Rate limits"): per client address and per target (an
 * e-mail address or a user ID), each kind of attempt with its own rule
 * (settings.h rate_rule).  Counters live in the database
 * (store_ratelimit.h); a refusal is 429 rate_limited with Retry-After. */
#ifndef MADOGUCHID_RATELIMIT_H
#define MADOGUCHID_RATELIMIT_H

#include <stdbool.h>

#include "api.h"

/* Count one attempt of this kind by the request's client and, when
 * target is not NULL, for target (counted whether or not it is anyone's:
 * the answer must not tell).  true: go on.  false: the reply is filled
 * (429, or the store's error), and the handler must do nothing else. */
bool ratelimit_allow(const struct api_ctx *, const struct http_request *,
    enum rate_class, const char *target, struct http_reply *);

#endif
