/* New-password checks: profile policy and libpwquality's dictionary. */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include <pwquality.h>

#include "log.h"
#include "pwcheck.h"

/* cracklib (under libpwquality) opens its dictionary and keeps lookup
 * state in static buffers and is not documented as thread-safe, so the
 * check runs one at a time.  This mutex is the only shared state; it is
 * static because the lock must be common to every handler thread. */
static pthread_mutex_t pwcheck_lock = PTHREAD_MUTEX_INITIALIZER;

/* Settings that leave only the dictionary and "too simple" checks: the
 * profile's policy (validate_password) has already decided length and
 * classes, and pwquality's own credits would refuse passwords the
 * profile allows.  pwquality_default_settings does not read
 * /etc/security/pwquality.conf, so the host's settings cannot change
 * what the service accepts. */
static pwquality_settings_t *
pwcheck_settings(void)
{
	static const struct {
		int setting;
		int value;
	} zero[] = {
		{ PWQ_SETTING_DIG_CREDIT, 0 },
		{ PWQ_SETTING_UP_CREDIT, 0 },
		{ PWQ_SETTING_LOW_CREDIT, 0 },
		{ PWQ_SETTING_OTH_CREDIT, 0 },
		{ PWQ_SETTING_MIN_CLASS, 0 },
		{ PWQ_SETTING_MAX_REPEAT, 0 },
		{ PWQ_SETTING_MAX_CLASS_REPEAT, 0 },
		{ PWQ_SETTING_MAX_SEQUENCE, 0 },
		{ PWQ_SETTING_GECOS_CHECK, 0 },
		{ PWQ_SETTING_USER_CHECK, 0 },
		/* libpwquality's floor; cracklib refuses shorter ones. */
		{ PWQ_SETTING_MIN_LENGTH, 6 },
		{ PWQ_SETTING_DICT_CHECK, 1 },
	};
	pwquality_settings_t *pwq = pwquality_default_settings();

	if (pwq == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
		if (pwquality_set_int_value(pwq, zero[i].setting,
		    zero[i].value) != 0) {
			pwquality_free_settings(pwq);
			return NULL;
		}
	}
	return pwq;
}

/* Is the password in cracklib's dictionary, or too simple? */
static enum errcode
pwcheck_dictionary(const char *password)
{
	pwquality_settings_t *pwq;
	void *aux = NULL;
	char buf[PWQ_MAX_ERROR_MESSAGE_LEN] = "";
	int rc;

	pthread_mutex_lock(&pwcheck_lock);
	if ((pwq = pwcheck_settings()) == NULL) {
		pthread_mutex_unlock(&pwcheck_lock);
		log_warn("libpwquality: cannot make settings");
		return ERR_INTERNAL;
	}
	rc = pwquality_check(pwq, password, NULL, NULL, &aux);
	/* pwquality_strerror frees what aux holds; the text itself may
	 * quote the password, so it is never logged. */
	if (rc < 0)
		pwquality_strerror(buf, sizeof buf, rc, aux);
	pwquality_free_settings(pwq);
	pthread_mutex_unlock(&pwcheck_lock);
	memset(buf, 0, sizeof buf);
	switch (rc) {
	case PWQ_ERROR_FATAL_FAILURE:
	case PWQ_ERROR_MEM_ALLOC:
	case PWQ_ERROR_RNG:
		log_warn("libpwquality: check failed (%d)", rc);
		return ERR_INTERNAL;
	default:
		/* Every remaining refusal (dictionary word, palindrome,
		 * too short for cracklib) means "too easy to guess". */
		return rc < 0 ? ERR_COMMON_PASSWORD : ERR_NONE;
	}
}

/* Profile policy, then the dictionary. */
struct verdict
pwcheck_new(const struct password_policy *pol, const char *password)
{
	struct verdict v = validate_password(pol, password);

	if (v.code != ERR_NONE)
		return v;
	v.code = pwcheck_dictionary(password);
	v.min = v.max = 0;
	return v;
}
