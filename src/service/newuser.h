/* What a new user made by an operator must be, by profile: one check
 * for user-add and user-import, so that an imported user is held to
 * exactly the rules of one added by hand (docs/api.md "user-add").
 * Passwords are not part of it: user-add reads one, user-import takes
 * a hash or mails a key. */
#ifndef MADOGUCHID_NEWUSER_H
#define MADOGUCHID_NEWUSER_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"
#include "validate.h"

/* The fields of a new user; NULL for one not given. */
struct newuser {
	const char *user_id;		/* lgpos; issued in the others */
	const char *name;
	const char *email;
	const char *lang;
	const char *kind;		/* oss: individual/corporation */
	const char *name_latin;		/* immigration */
	const char *category;		/* immigration: registrant type */
};

/* Why a new user was refused: the field, named as the member of
 * struct newuser ("user_id", "name_latin", ...), and the rule: an
 * absent required field is ERR_MISSING_FIELD, a value that is not one
 * of the choices (kind, category, lang) ERR_BAD_FORMAT, anything else
 * the verdict of validate.h. */
struct newuser_fault {
	const char *field;
	struct verdict v;
};

/* Fill in the profile's defaults (lang ja; lgpos: the address is the
 * user ID; oss: kind individual; immigration: the name is the Latin
 * name) and check every field; true when the user may be created, else
 * false with *fault. */
bool newuser_check(const struct settings *, struct newuser *,
    struct newuser_fault *);

/* A failed rule in English for an operator ("shorter than 8
 * characters (8 to 64 allowed)"), into buf. */
void newuser_verdict_text(struct verdict, char *buf, size_t size);

#endif
