/* Applying a field's rules (docs/screens.md: required, max, rule=) with
 * the shared validators, so the client says what the service would. */
#ifndef MADOGUCHI_FIELDCHECK_H
#define MADOGUCHI_FIELDCHECK_H

#include <stdbool.h>

#include "errmsg.h"
#include "screenfile.h"
#include "session.h"

/* True if rule= names a rule the client knows. */
bool fieldcheck_rule_known(const char *rule);
/* True if the field must be filled in (or ticked) now: required, and
 * its required= condition, if any, holds. */
bool fieldcheck_required(const struct session *, const struct sf_item *);
/* Check value against it; ERR_NONE or the rule broken, with params. */
enum errcode fieldcheck(const struct sf_item *it, const char *value,
    const struct session *, struct errparams *params);

#endif
