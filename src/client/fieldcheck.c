/* Field rules on the client side. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "fieldcheck.h"
#include "validate.h"

/* Today as "YYYY-MM-DD" in local time, for the date rule. */
static void
fieldcheck_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		strcpy(out, "9999-12-31");
}

/* The shared rules (src/common/validate.h) by the names screens use. */
static struct verdict
fieldcheck_rule(const char *rule, const char *value, long max,
    const struct session *sess)
{
	struct verdict none = { ERR_NONE, 0, 0 };
	char today[11];

	if (strcmp(rule, "user_id") == 0)
		return validate_user_id(value);
	if (strcmp(rule, "email") == 0)
		return validate_email(value);
	if (strcmp(rule, "name") == 0)
		return validate_name(value, max > 0 ? max : 256);
	if (strcmp(rule, "katakana") == 0)
		return validate_katakana(value, max > 0 ? max : 64);
	if (strcmp(rule, "latin_name") == 0)
		/* 003 §3: at most 104 characters. */
		return validate_latin_name(value, max > 0 ? max : 104);
	if (strcmp(rule, "phone") == 0)
		return validate_phone(value);
	if (strcmp(rule, "postal_code") == 0)
		return validate_postal_code(value);
	if (strcmp(rule, "date") == 0) {
		fieldcheck_today(today);
		return validate_date(value, today);
	}
	if (strcmp(rule, "password") == 0 && sess->info_known)
		/* Without /api/v1/info the policy is unknown: the service
		 * checks it instead. */
		return validate_password(&sess->policy, value);
	return none;
}

bool
fieldcheck_rule_known(const char *rule)
{
	static const char *const rules[] = { "user_id", "email", "name",
	    "katakana", "latin_name", "phone", "postal_code", "date",
	    "password", NULL };

	for (const char *const *r = rules; *r != NULL; r++) {
		if (strcmp(*r, rule) == 0)
			return true;
	}
	return false;
}

bool
fieldcheck_required(const struct session *sess, const struct sf_item *it)
{
	return it->required &&
	    (it->required_if == NULL || session_cond(sess, it->required_if));
}

/* Check one value. */
enum errcode
fieldcheck(const struct sf_item *it, const char *value,
    const struct session *sess, struct errparams *params)
{
	struct verdict v = { ERR_NONE, 0, 0 };

	memset(params, 0, sizeof *params);
	if (it->kind != SF_FIELD || it->fkind == SF_FIELD_TOGGLE)
		return ERR_NONE;
	if (*value == '\0')
		return fieldcheck_required(sess, it) ? ERR_REQUIRED : ERR_NONE;
	if (it->max > 0 && (long)utf8_length(value) > it->max) {
		params->min = 0;
		params->max = it->max;
		return ERR_TOO_LONG;
	}
	if (it->rule != NULL)
		v = fieldcheck_rule(it->rule, value, it->max, sess);
	params->min = v.min;
	params->max = v.max;
	return v.code;
}
