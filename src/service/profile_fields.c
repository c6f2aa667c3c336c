/* Per-profile, per-type detail field tables and their checks. */
#include "config.h"

#include <string.h>

#include "profile_fields.h"

/* 000 ⑤ and 001 step 7: an individual's details. */
static const struct profile_field fields_lgpos_individual[] = {
	{ "family_name", FIELD_NAME, 64, true, FIELD_REGISTER | FIELD_PATCH },
	{ "given_name", FIELD_NAME, 64, true, FIELD_REGISTER | FIELD_PATCH },
	{ "family_name_kana", FIELD_KATAKANA, 64, true,
	    FIELD_REGISTER | FIELD_PATCH },
	{ "given_name_kana", FIELD_KATAKANA, 64, true,
	    FIELD_REGISTER | FIELD_PATCH },
	{ "postal_code", FIELD_POSTAL, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ "address", FIELD_NAME, 128, true, FIELD_REGISTER | FIELD_PATCH },
	{ "phone", FIELD_PHONE, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ "birth_date", FIELD_DATE, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ "gender", FIELD_GENDER, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ "notify_mail", FIELD_YESNO, 0, false, FIELD_REGISTER | FIELD_PATCH },
	{ NULL, 0, 0, false, 0 }
};

/* 001 table: a business's details (kana and postal code optional). */
static const struct profile_field fields_lgpos_business[] = {
	{ "corporation_name", FIELD_NAME, 64, true,
	    FIELD_REGISTER | FIELD_PATCH },
	{ "corporation_name_kana", FIELD_KATAKANA, 64, false,
	    FIELD_REGISTER | FIELD_PATCH },
	{ "postal_code", FIELD_POSTAL, 0, false, FIELD_REGISTER | FIELD_PATCH },
	{ "address", FIELD_NAME, 128, true, FIELD_REGISTER | FIELD_PATCH },
	{ "representative", FIELD_NAME, 64, true,
	    FIELD_REGISTER | FIELD_PATCH },
	{ "phone", FIELD_PHONE, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ "department", FIELD_NAME, 64, true, FIELD_REGISTER | FIELD_PATCH },
	{ "contact_name", FIELD_NAME, 64, true, FIELD_REGISTER | FIELD_PATCH },
	{ "contact_birth_date", FIELD_DATE, 0, true,
	    FIELD_REGISTER | FIELD_PATCH },
	{ "notify_mail", FIELD_YESNO, 0, false, FIELD_REGISTER | FIELD_PATCH },
	{ NULL, 0, 0, false, 0 }
};

/* lgpos accounts made by user-add have no registrant type and no
 * details: My page offers them the contact details common to both
 * types (postal code, address, phone), the same rules as a business's,
 * rather than a form the service would refuse. */
static const struct profile_field fields_lgpos_account[] = {
	{ "postal_code", FIELD_POSTAL, 0, false, FIELD_PATCH },
	{ "address", FIELD_NAME, 128, true, FIELD_PATCH },
	{ "phone", FIELD_PHONE, 0, true, FIELD_PATCH },
	{ NULL, 0, 0, false, 0 }
};

/* 003 §3 step 6: organisation staff register a Latin name and a phone;
 * 003 §6.3: they may change only the phone. */
static const struct profile_field fields_immigration_staff[] = {
	{ "name_latin", FIELD_LATIN, 104, true, FIELD_REGISTER },
	{ "phone", FIELD_PHONE, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ NULL, 0, 0, false, 0 }
};

/* 003 §6.3: foreign nationals, attorneys and legal representatives may
 * also give a postal code and address on My page. */
static const struct profile_field fields_immigration_person[] = {
	{ "name_latin", FIELD_LATIN, 104, true, FIELD_REGISTER },
	{ "phone", FIELD_PHONE, 0, true, FIELD_REGISTER | FIELD_PATCH },
	{ "postal_code", FIELD_POSTAL, 0, false, FIELD_PATCH },
	{ "address", FIELD_NAME, 128, false, FIELD_PATCH },
	{ NULL, 0, 0, false, 0 }
};

/* 002 §3: what the payment user changes on My page.  email and
 * notify_email each come with a *_confirm member (checked by
 * api_mypage.c); kind, name and email are columns of users, the others
 * live in details. */
static const struct profile_field fields_oss[] = {
	{ "kind", FIELD_KIND, 0, true, FIELD_PATCH },
	{ "name", FIELD_NAME, 64, true, FIELD_PATCH },
	{ "name_kana", FIELD_KATAKANA, 64, false, FIELD_PATCH },
	{ "representative", FIELD_NAME, 64, false, FIELD_PATCH },
	{ "email", FIELD_EMAIL, 0, true, FIELD_PATCH },
	{ "notify_email", FIELD_EMAIL, 0, false, FIELD_PATCH },
	{ NULL, 0, 0, false, 0 }
};

/* The table for a profile and type. */
const struct profile_field *
profile_fields(enum profile p, const char *type)
{
	if (type == NULL)
		return NULL;
	switch (p) {
	case PROFILE_LGPOS:
		if (strcmp(type, "individual") == 0)
			return fields_lgpos_individual;
		if (strcmp(type, "business") == 0)
			return fields_lgpos_business;
		return NULL;
	case PROFILE_IMMIGRATION:
		if (strcmp(type, "organisation_staff") == 0)
			return fields_immigration_staff;
		if (strcmp(type, "attorney") == 0 ||
		    strcmp(type, "foreign_national") == 0 ||
		    strcmp(type, "legal_representative") == 0)
			return fields_immigration_person;
		return NULL;
	case PROFILE_OSS:
		return fields_oss;
	}
	return NULL;
}

/* The table of what a user may change on My page. */
const struct profile_field *
profile_fields_account(enum profile p, const char *type)
{
	if (p == PROFILE_LGPOS && (type == NULL || type[0] == '\0'))
		return fields_lgpos_account;
	return profile_fields(p, type);
}

/* Find a member in a table. */
const struct profile_field *
profile_field_find(const struct profile_field *t, const char *member)
{
	for (; t != NULL && t->member != NULL; t++) {
		if (strcmp(t->member, member) == 0)
			return t;
	}
	return NULL;
}

/* Check one value by its rule. */
struct verdict
profile_field_check(const struct profile_field *f, const char *value,
    time_t now)
{
	static const char *const genders[] = {
		"male", "female", "unspecified", NULL
	};
	static const char *const yesno[] = { "yes", "no", NULL };
	static const char *const kinds[] = {
		"individual", "corporation", NULL
	};
	struct verdict none = { ERR_NONE, 0, 0 };
	char today[16];
	struct tm tm;

	switch (f->rule) {
	case FIELD_NAME:
		return validate_name(value, f->max);
	case FIELD_KATAKANA:
		return validate_katakana(value, f->max);
	case FIELD_LATIN:
		return validate_latin_name(value, f->max);
	case FIELD_PHONE:
		return validate_phone(value);
	case FIELD_POSTAL:
		return validate_postal_code(value);
	case FIELD_DATE:
		/* "Today" where the service runs (TZ), as a person at the
		 * counter would say it. */
		if (localtime_r(&now, &tm) == NULL ||
		    strftime(today, sizeof today, "%Y-%m-%d", &tm) == 0)
			today[0] = '\0';
		return validate_date(value, today);
	case FIELD_GENDER:
		return validate_choice(value, genders);
	case FIELD_YESNO:
		return validate_choice(value, yesno);
	case FIELD_KIND:
		return validate_choice(value, kinds);
	case FIELD_EMAIL:
		return validate_email(value);
	}
	return none;
}

/* The union of the base members and every table member of a profile. */
const char *const *
profile_fields_allowed(enum profile p, unsigned where,
    const char *const *base, const char **buf, size_t bufsize)
{
	static const char *const types[] = {
		"individual", "business", "organisation_staff",
		"foreign_national", NULL
	};
	size_t n = 0;

	for (; *base != NULL && n + 1 < bufsize; base++)
		buf[n++] = *base;
	for (const char *const *t = types; *t != NULL; t++) {
		const struct profile_field *f = profile_fields(p, *t);

		for (; f != NULL && f->member != NULL; f++) {
			size_t i;

			if (!(f->where & where))
				continue;
			for (i = 0; i < n && strcmp(buf[i], f->member) != 0;
			    i++)
				;
			if (i == n && n + 1 < bufsize)
				buf[n++] = f->member;
		}
		if (p == PROFILE_OSS)
			break;
	}
	buf[n] = NULL;
	return buf;
}
