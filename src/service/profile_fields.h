/* The detail fields each profile keeps per registrant type (docs/api.md
 * "Fields"): which members exist, the rule each follows, which are
 * required at registration and which My page may change. */
#ifndef MADOGUCHID_PROFILE_FIELDS_H
#define MADOGUCHID_PROFILE_FIELDS_H

#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "settings.h"
#include "validate.h"

/* The rule of src/common/validate.h a field is checked by. */
enum field_rule {
	FIELD_NAME,		/* validate_name */
	FIELD_KATAKANA,
	FIELD_LATIN,
	FIELD_PHONE,
	FIELD_POSTAL,
	FIELD_DATE,		/* 1900-01-01 to today */
	FIELD_GENDER,
	FIELD_YESNO,
	FIELD_KIND,		/* oss: individual or corporation */
	FIELD_EMAIL
};

/* Where a field may be given. */
#define FIELD_REGISTER 0x1	/* POST /api/v1/registrations/complete */
#define FIELD_PATCH 0x2		/* PATCH /api/v1/me */

struct profile_field {
	const char *member;
	enum field_rule rule;
	long max;		/* characters, for the name-like rules */
	bool required;		/* at registration; never emptied later */
	unsigned where;
};

/* The fields of a registrant type in a profile, ending with a NULL
 * member; NULL when the profile does not know the type.  oss has one
 * table for both kinds. */
const struct profile_field *profile_fields(enum profile, const char *type);
/* The fields a user may change on My page: their type's table, or in
 * lgpos for an account made by user-add (no type) the contact details
 * both types share.  NULL when nothing can be changed. */
const struct profile_field *profile_fields_account(enum profile,
    const char *type);
/* The field named member in a table, or NULL. */
const struct profile_field *profile_field_find(const struct profile_field *,
    const char *member);
/* Check one value by its field's rule; now gives "today" for dates. */
struct verdict profile_field_check(const struct profile_field *,
    const char *value, time_t now);
/* Every member a profile's tables allow where (for api_body's allowed
 * list), after the base members: filled into buf (bufsize entries, the
 * last one NULL) and returned. */
const char *const *profile_fields_allowed(enum profile, unsigned where,
    const char *const *base, const char **buf, size_t bufsize);

#endif
