/* Translated, person-facing text for every error code.  The client never
 * shows the service's own English "message"; it shows these. */
#ifndef MADOGUCHI_ERRMSG_H
#define MADOGUCHI_ERRMSG_H

#include "errcode.h"

/* The parameters a rule reported (docs/api.md "params"). */
struct errparams {
	long min;
	long max;
	long long until;	/* account_locked: epoch seconds */
	long remaining;		/* wrong_code: tries left */
	long retry_after;	/* rate_limited: seconds to wait */
};

/* A malloc'd, translated sentence for code.  field_label, when not NULL,
 * is the already-translated label of the field concerned, so the message
 * can name it ("User ID: ..."). */
char *errmsg_text(enum errcode code, const struct errparams *params,
    const char *field_label);

#endif
