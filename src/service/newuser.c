/* The rules of a user made by an operator (user-add, user-import). */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "lang.h"
#include "newuser.h"

/* 003 §3 step 6: a name of at most 104 characters, the longest any of
 * the manuals allows. */
#define NEWUSER_NAME_MAX 104

/* Record a fault; always false. */
static bool
newuser_fault(struct newuser_fault *f, const char *field, enum errcode code,
    struct verdict v)
{
	f->field = field;
	f->v = v;
	if (code != ERR_NONE) {
		f->v.code = code;
		f->v.min = f->v.max = 0;
	}
	return false;
}

/* immigration: the Latin name and the registrant type (003 §3 step 6). */
static bool
newuser_check_immigration(const struct settings *cfg, struct newuser *nu,
    struct newuser_fault *f)
{
	struct verdict v = { ERR_NONE, 0, 0 };

	if (nu->name_latin == NULL)
		return newuser_fault(f, "name_latin", ERR_MISSING_FIELD, v);
	if (nu->category == NULL)
		return newuser_fault(f, "category", ERR_MISSING_FIELD, v);
	/* Latin capitals, at most 104. */
	if ((v = validate_latin_name(nu->name_latin,
	    NEWUSER_NAME_MAX)).code != ERR_NONE)
		return newuser_fault(f, "name_latin", ERR_NONE, v);
	if (validate_choice(nu->category, cfg->registrant_types).code !=
	    ERR_NONE)
		return newuser_fault(f, "category", ERR_BAD_FORMAT, v);
	if (nu->name == NULL)
		nu->name = nu->name_latin;
	return true;
}

/* Check a new user against the profile. */
bool
newuser_check(const struct settings *cfg, struct newuser *nu,
    struct newuser_fault *f)
{
	static const char *const kinds[] = {
		"individual", "corporation", NULL
	};
	struct verdict v = { ERR_NONE, 0, 0 };

	f->field = NULL;
	f->v = v;
	if (cfg->profile == PROFILE_IMMIGRATION &&
	    !newuser_check_immigration(cfg, nu, f))
		return false;
	if (cfg->profile == PROFILE_OSS) {
		if (nu->kind == NULL)
			nu->kind = "individual";
		if (validate_choice(nu->kind, kinds).code != ERR_NONE)
			return newuser_fault(f, "kind", ERR_BAD_FORMAT, v);
	}
	if (nu->name == NULL)
		return newuser_fault(f, "name", ERR_MISSING_FIELD, v);
	if (cfg->profile == PROFILE_LGPOS && nu->user_id == NULL)
		return newuser_fault(f, "user_id", ERR_MISSING_FIELD, v);
	if (nu->user_id != NULL &&
	    (v = validate_user_id(nu->user_id)).code != ERR_NONE)
		return newuser_fault(f, "user_id", ERR_NONE, v);
	if ((v = validate_name(nu->name, NEWUSER_NAME_MAX)).code != ERR_NONE)
		return newuser_fault(f, "name", ERR_NONE, v);
	/* lgpos: the e-mail address is the user ID (001). */
	if (nu->email == NULL && cfg->profile == PROFILE_LGPOS)
		nu->email = nu->user_id;
	if (nu->email == NULL)
		return newuser_fault(f, "email", ERR_MISSING_FIELD, v);
	if ((v = validate_email(nu->email)).code != ERR_NONE)
		return newuser_fault(f, "email", ERR_NONE, v);
	if (nu->lang == NULL)
		nu->lang = "ja";
	if (!lang_known(nu->lang))
		return newuser_fault(f, "lang", ERR_BAD_FORMAT, v);
	return true;
}

/* A failed rule in English for an operator. */
void
newuser_verdict_text(struct verdict v, char *buf, size_t size)
{
	switch (v.code) {
	case ERR_REQUIRED:
		snprintf(buf, size, "empty");
		break;
	case ERR_MISSING_FIELD:
		snprintf(buf, size, "missing");
		break;
	case ERR_TOO_SHORT:
		snprintf(buf, size, "shorter than %ld characters (%ld to %ld "
		    "allowed)", v.min, v.min, v.max);
		break;
	case ERR_TOO_LONG:
		snprintf(buf, size, "longer than %ld characters", v.max);
		break;
	case ERR_TOO_FEW_CLASSES:
		snprintf(buf, size, "use at least %ld of: upper case, lower "
		    "case, digits, symbols", v.min);
		break;
	case ERR_BAD_CHARACTERS:
		snprintf(buf, size, "has characters that are not allowed");
		break;
	case ERR_BAD_EMAIL:
		snprintf(buf, size, "not a valid address (001 FAQ rules)");
		break;
	case ERR_INVALID_ENCODING:
		snprintf(buf, size, "not valid UTF-8");
		break;
	default:
		snprintf(buf, size, "not acceptable (%s)",
		    errcode_name(v.code));
		break;
	}
}
