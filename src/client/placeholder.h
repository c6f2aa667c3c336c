/* Placeholders in a screen's text, filled from what the client knows:
 * {service_name}, {user_id}, {name}, {profile}; a number or string the
 * service published ({limits.lockout_failures},
 * {limits.lockout_duration:hours}); a member kept from an earlier answer
 * ({vars.email}); and what was typed on another screen
 * ({form.login.user_id}: a confirmation shows the input screen, R6). */
#ifndef MADOGUCHI_PLACEHOLDER_H
#define MADOGUCHI_PLACEHOLDER_H

#include <stdbool.h>

#include "screenfile.h"
#include "session.h"
#include "store.h"

/* Where the values come from. */
struct placeholder_src {
	const struct session *sess;
	const struct sf_set *set;	/* for {form.*}; NULL: none known */
	struct store *store;
};

/* text with its placeholders filled (malloc'd); unknown ones stay. */
char *placeholder_fill(const struct placeholder_src *, const char *text);
/* True when every placeholder in text can be filled now: a sentence
 * quoting the service's rules is not shown before they are known. */
bool placeholder_known(const struct placeholder_src *, const char *text);

#endif
