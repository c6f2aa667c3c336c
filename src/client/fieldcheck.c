/* Field rules on the client side. */
#include "config.h"

#include <string.h>

#include "fieldcheck.h"
#include "validate.h"

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
		return it->required ? ERR_REQUIRED : ERR_NONE;
	if (it->max > 0 && (long)utf8_length(value) > it->max) {
		params->min = 0;
		params->max = it->max;
		return ERR_TOO_LONG;
	}
	if (it->rule == NULL)
		return ERR_NONE;
	if (strcmp(it->rule, "user_id") == 0)
		v = validate_user_id(value);
	else if (strcmp(it->rule, "email") == 0)
		v = validate_email(value);
	else if (strcmp(it->rule, "name") == 0)
		v = validate_name(value, it->max > 0 ? it->max : 256);
	else if (strcmp(it->rule, "password") == 0 && sess->info_known)
		/* Without /api/v1/info the policy is unknown: the service
		 * checks it instead. */
		v = validate_password(&sess->policy, value);
	params->min = v.min;
	params->max = v.max;
	return v.code;
}
