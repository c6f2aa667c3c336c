/* The service's settings: built-in defaults, the profile's rules, a
 * "key = value" file and command-line options, in that order of
 * increasing precedence.  Everything else reads settings from here.
 * (Named settings, not config, so as not to shadow autoconf's config.h.) */
#ifndef MADOGUCHID_SETTINGS_H
#define MADOGUCHID_SETTINGS_H

#include "validate.h"

/* One profile per server (SPEC: lgpos, oss, immigration). */
enum profile {
	PROFILE_LGPOS,
	PROFILE_OSS,
	PROFILE_IMMIGRATION
};

/* Time and attempt limits published in GET /api/v1/info "limits". */
struct limits {
	long lockout_failures;
	long lockout_duration;
	long code_length;
	long code_ttl;
	long reset_key_ttl;
	long password_max_age;	/* days; 0 = passwords do not expire */
};

struct settings {
	char *data_dir;
	char *listen;
	long port;
	char *port_file;
	enum profile profile;
	char *cert;
	char *key;
	char *service_name;
	long idle_timeout;
	long idle_warning;
	long max_body;
	long hash_concurrency;
	char *test_clock_file;

	/* Derived from the profile by settings_finish. */
	struct password_policy policy;
	struct limits limits;
	const char *user_id_kind;
};

/* Fill cfg with the built-in defaults. */
void settings_init(struct settings *cfg);
/* Apply one setting by name; 0, or -1 with *problem malloc'd. */
int settings_set(struct settings *cfg, const char *key, const char *value,
    char **problem);
/* Read a configuration file; 0, or -1 with *error = "FILE:LINE: problem". */
int settings_load(struct settings *cfg, const char *path, char **error);
/* Derive the profile's policy and limits once all settings are in. */
void settings_finish(struct settings *cfg);
/* Release what cfg owns. */
void settings_free(struct settings *cfg);

/* Wire name of a profile ("lgpos"). */
const char *settings_profile_name(enum profile);

#endif
