/* Configuration: defaults, profiles, file and option settings. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "xmalloc.h"
#include "settings.h"
#include "tlsnames.h"

static const char *const profile_names[] = {
	[PROFILE_LGPOS] = "lgpos",
	[PROFILE_OSS] = "oss",
	[PROFILE_IMMIGRATION] = "immigration",
};

static const char *const rate_names[RATE_CLASSES] = {
	[RATE_REGISTRATION] = "registration",
	[RATE_CODE] = "code",
	[RATE_RECOVERY] = "recovery",
	[RATE_LOGIN] = "login",
};

/* Replace a string setting. */
static void
settings_set_string(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

/* Cores online, at least 1 and at most 64. */
static long
settings_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : n;
}

/* Fill cfg with the built-in defaults. */
void
settings_init(struct settings *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->data_dir = xstrdup(LOCALSTATEDIR "/lib/madoguchid");
	cfg->listen = xstrdup("127.0.0.1");
	cfg->port = 8443;
	cfg->profile = PROFILE_LGPOS;
	cfg->service_name = xstrdup("Madoguchi demo service");
	/* 003 §1.3, §2.6: an idle session ends after 3 hours and the
	 * person is warned 10 minutes before. */
	cfg->idle_timeout = 10800;
	cfg->idle_warning = 600;
	cfg->max_body = 65536;
	/* As many hashes at once as there are cores: more only queue on
	 * the CPU and hold their memory meanwhile. */
	cfg->hash_concurrency = settings_cores();
	cfg->hash_wait = 10;
	/* OWASP's Password Storage Cheat Sheet for argon2id: m = 19 MiB,
	 * t = 2, p = 1 (libsodium's p is always 1). */
	cfg->hash_time = 2;
	cfg->hash_memory = 19456;
	/* A few event threads serve thousands of connections; the work
	 * runs on the pools (docs/api.md "Connections"). */
	cfg->http_threads = 2;
	cfg->workers = 4;
	cfg->max_connections = 4096;
	/* A counter's terminals may share one address behind NAT; one
	 * client (curl, the client) uses one connection. */
	cfg->per_client_connections = 64;
	cfg->request_timeout = 20;
	cfg->keepalive_timeout = 300;
	/* A stop (SIGTERM) lets requests in flight finish: long enough for
	 * one that waits for a hash (hash_wait) and a slow network. */
	cfg->drain_timeout = 20;
	cfg->mail_from = xstrdup("madoguchi <no-reply@madoguchi.invalid>");
	cfg->mail_retry = 60;
	/* Longer than any delivery takes (SMTP's own timeouts are a few
	 * minutes): a mail is taken by one worker at a time. */
	cfg->mail_lease = 600;
	cfg->timezone = xstrdup("Asia/Tokyo");
	/* Rate limits per hour.  Per target they stop one address or
	 * account being flooded with mail or guessed at: a 6-digit code
	 * then takes on average 50 000 hours to hit.  Per client they are
	 * generous, because a counter terminal (or a town hall behind one
	 * NAT address) serves many people: 50 registrations and 300
	 * log-ins an hour is more than a busy counter sees. */
	cfg->rate[RATE_REGISTRATION] = (struct rate_rule){ 50, 5, 3600 };
	cfg->rate[RATE_CODE] = (struct rate_rule){ 100, 10, 3600 };
	cfg->rate[RATE_RECOVERY] = (struct rate_rule){ 50, 5, 3600 };
	cfg->rate[RATE_LOGIN] = (struct rate_rule){ 300, 30, 3600 };
	/* Dead rows go after a day (a week for sent mail, which
	 * mail-list shows an operator); the purge looks every hour. */
	cfg->purge.interval = 3600;
	cfg->purge.registrations_after = 86400;
	cfg->purge.codes_after = 86400;
	cfg->purge.sent_mail_after = 7 * 86400;
	{
		long *o = (long *)&cfg->limit_override;

		for (size_t i = 0; i < SETTINGS_NLIMITS; i++)
			o[i] = -1;
	}
	cfg->policy_min_length = -1;
	cfg->policy_max_length = -1;
	cfg->policy_min_classes = -1;
	settings_finish(cfg);
}

/* Wire name of a profile. */
const char *
settings_profile_name(enum profile p)
{
	return profile_names[p];
}

/* Name of a kind of rate-limited attempt. */
const char *
settings_rate_name(enum rate_class c)
{
	return rate_names[c];
}

/* Numeric settings: name, slot offset and accepted range. */
static const struct {
	const char *key;
	size_t offset;
	long min;
	long max;
} settings_numbers[] = {
	{ "port", offsetof(struct settings, port), 0, 65535 },
	{ "idle_timeout", offsetof(struct settings, idle_timeout), 5, 86400 * 30 },
	{ "idle_warning", offsetof(struct settings, idle_warning), 0, 86400 },
	{ "max_body", offsetof(struct settings, max_body), 1024, 16L << 20 },
	{ "hash_concurrency", offsetof(struct settings, hash_concurrency), 1, 256 },
	{ "hash_wait", offsetof(struct settings, hash_wait), 0, 600 },
	{ "hash_time", offsetof(struct settings, hash_time), 1, 100 },
	{ "hash_memory", offsetof(struct settings, hash_memory), 64, 4L << 20 },
	{ "mail_retry", offsetof(struct settings, mail_retry), 1, 86400 },
	{ "mail_lease", offsetof(struct settings, mail_lease), 1, 86400 },
	{ "http_threads", offsetof(struct settings, http_threads), 1, 64 },
	{ "workers", offsetof(struct settings, workers), 1, 256 },
	{ "max_connections", offsetof(struct settings, max_connections), 16, 1000000 },
	{ "per_client_connections", offsetof(struct settings, per_client_connections), 1, 1000000 },
	{ "request_timeout", offsetof(struct settings, request_timeout), 1, 3600 },
	{ "keepalive_timeout", offsetof(struct settings, keepalive_timeout), 1, 86400 },
	{ "drain_timeout", offsetof(struct settings, drain_timeout), 0, 3600 },
	{ "keep_ca_key", offsetof(struct settings, keep_ca_key), 0, 1 },
#define RATE(name, cls) \
	{ "rate_" name "_per_client", offsetof(struct settings, rate) + \
	    cls * sizeof(struct rate_rule) + \
	    offsetof(struct rate_rule, per_client), 0, 1000000 }, \
	{ "rate_" name "_per_target", offsetof(struct settings, rate) + \
	    cls * sizeof(struct rate_rule) + \
	    offsetof(struct rate_rule, per_target), 0, 1000000 }, \
	{ "rate_" name "_window", offsetof(struct settings, rate) + \
	    cls * sizeof(struct rate_rule) + \
	    offsetof(struct rate_rule, window), 1, 86400 * 7 }
	RATE("registration", RATE_REGISTRATION),
	RATE("code", RATE_CODE),
	RATE("recovery", RATE_RECOVERY),
	RATE("login", RATE_LOGIN),
#undef RATE
#define PURGE(key, name, min) \
	{ key, offsetof(struct settings, purge) + \
	    offsetof(struct purge_rules, name), min, 86400 * 3650 }
	PURGE("purge_interval", interval, 1),
	PURGE("purge_registrations_after", registrations_after, 0),
	PURGE("purge_codes_after", codes_after, 0),
	PURGE("purge_sent_mail_after", sent_mail_after, 0),
#undef PURGE
#define LIMIT(name, min, max) \
	{ #name, offsetof(struct settings, limit_override) + \
	    offsetof(struct limits, name), min, max }
	LIMIT(lockout_failures, 1, 100),
	LIMIT(lockout_duration, 1, 86400 * 365),
	LIMIT(code_length, 6, 32),
	LIMIT(code_ttl, 1, 86400 * 30),
	LIMIT(code_attempts, 1, 100),
	LIMIT(reset_key_length, 8, 64),
	LIMIT(reset_key_ttl, 1, 86400 * 30),
	LIMIT(password_max_age, 0, 3650),
	LIMIT(reminder_interval, 1, 86400 * 365),
	LIMIT(reminder_period, 0, 86400 * 3650),
	LIMIT(receipts_page_size, 1, 1000),
	LIMIT(notices_page_size, 1, 1000),
#undef LIMIT
	{ "password_min_length", offsetof(struct settings, policy_min_length), 1, 1024 },
	{ "password_max_length", offsetof(struct settings, policy_max_length), 0, 1024 },
	{ "password_min_classes", offsetof(struct settings, policy_min_classes), 0, 4 },
};

/* String settings: name and slot offset. */
static const struct {
	const char *key;
	size_t offset;
} settings_strings[] = {
	{ "data_dir", offsetof(struct settings, data_dir) },
	{ "database", offsetof(struct settings, database) },
	{ "listen", offsetof(struct settings, listen) },
	{ "port_file", offsetof(struct settings, port_file) },
	{ "cert", offsetof(struct settings, cert) },
	{ "key", offsetof(struct settings, key) },
	{ "service_name", offsetof(struct settings, service_name) },
	{ "test_clock_file", offsetof(struct settings, test_clock_file) },
	{ "mail_dir", offsetof(struct settings, mail_dir) },
	{ "mail_from", offsetof(struct settings, mail_from) },
	{ "smtp_url", offsetof(struct settings, smtp_url) },
	{ "smtp_user", offsetof(struct settings, smtp_user) },
	{ "smtp_password", offsetof(struct settings, smtp_password) },
	{ "password_symbols", offsetof(struct settings, policy_symbols) },
	{ "timezone", offsetof(struct settings, timezone) },
	{ "metrics_listen", offsetof(struct settings, metrics_listen) },
	{ "tls_names", offsetof(struct settings, tls_names) },
};

/* String settings that may be set empty on purpose. */
static const char *const settings_may_be_empty[] = {
	"service_name", "port_file", "test_clock_file", "smtp_url",
	"smtp_user", "smtp_password", "password_symbols", "metrics_listen",
	"tls_names", NULL
};

/* 001 step 3: individual or business. */
static const char *const registrant_types_lgpos[] = {
	"individual", "business", NULL
};
/* 003 §3 step 6: the four user categories. */
static const char *const registrant_types_immigration[] = {
	"organisation_staff", "attorney", "foreign_national",
	"legal_representative", NULL
};
/* oss: IDs are issued outside this system (002 §1); no self-registration. */
static const char *const registrant_types_none[] = { NULL };

/* Apply one setting by name. */
int
settings_set(struct settings *cfg, const char *key, const char *value,
    char **problem)
{
	struct tlsnames names;
	size_t i;

	*problem = NULL;
	for (i = 0; i < sizeof settings_numbers / sizeof settings_numbers[0]; i++) {
		if (strcmp(key, settings_numbers[i].key) == 0) {
			long *slot = (long *)((char *)cfg + settings_numbers[i].offset);

			if (conf_parse_long(value, settings_numbers[i].min,
			    settings_numbers[i].max, slot) != 0) {
				xasprintf(problem, "%s must be a number from "
				    "%ld to %ld", key, settings_numbers[i].min,
				    settings_numbers[i].max);
				return -1;
			}
			return 0;
		}
	}
	for (i = 0; i < sizeof settings_strings / sizeof settings_strings[0]; i++) {
		if (strcmp(key, settings_strings[i].key) == 0) {
			char **slot = (char **)((char *)cfg +
			    settings_strings[i].offset);

			const char *const *e;

			for (e = settings_may_be_empty; *e != NULL; e++) {
				if (strcmp(key, *e) == 0)
					break;
			}
			if (*value == '\0' && *e == NULL) {
				xasprintf(problem, "%s must not be empty", key);
				return -1;
			}
			if (strcmp(key, "tls_names") == 0 &&
			    tlsnames_parse(value, &names, problem) != 0)
				return -1;
			settings_set_string(slot, value);
			return 0;
		}
	}
	if (strcmp(key, "profile") == 0) {
		for (i = 0; i < sizeof profile_names / sizeof profile_names[0];
		    i++) {
			if (strcmp(value, profile_names[i]) == 0) {
				cfg->profile = (enum profile)i;
				return 0;
			}
		}
		xasprintf(problem, "unknown profile \"%s\" (lgpos, oss or "
		    "immigration)", value);
		return -1;
	}
	xasprintf(problem, "unknown setting \"%s\"", key);
	return -1;
}

/* conf_load callback: one line of the file. */
static int
settings_file_setting(void *ctx, const char *key, const char *value,
    char **problem)
{
	return settings_set(ctx, key, value, problem);
}

/* Read a configuration file. */
int
settings_load(struct settings *cfg, const char *path, char **error)
{
	return conf_load(path, settings_file_setting, cfg, error);
}

/* Derive the profile's policy and limits. */
void
settings_finish(struct settings *cfg)
{
	struct password_policy *pol = &cfg->policy;
	struct limits *lim = &cfg->limits;

	memset(pol, 0, sizeof *pol);
	/* 003 §2.2: 5 failures in a row lock the account for 24 hours;
	 * 000 ④, 001 step 6: a 6-digit code valid 30 minutes; 003 §2.5,
	 * 004: a reset key valid 24 hours. */
	lim->lockout_failures = 5;
	lim->lockout_duration = 86400;
	lim->code_length = 6;
	lim->code_ttl = 1800;
	/* SPEC R4: after 5 wrong tries the person starts again. */
	lim->code_attempts = 5;
	/* Seeds are silent on the key's form: 12 characters of a 31-letter
	 * alphabet (about 59 bits) is short enough to type from a printed
	 * mail and, with code_attempts, far beyond guessing. */
	lim->reset_key_length = 12;
	lim->reset_key_ttl = 86400;
	lim->password_max_age = 0;
	/* 003 §1.4: a reminder every 7 days until registered, for 3 months
	 * (taken as 90 days) after issue; 003 §5: 20 rows a page. */
	lim->reminder_interval = 7 * 86400;
	lim->reminder_period = 90 * 86400;
	lim->receipts_page_size = 20;
	lim->notices_page_size = 10;
	cfg->code_kind = CODE_DIGITS;
	cfg->registrant_types = registrant_types_none;

	switch (cfg->profile) {
	case PROFILE_LGPOS:
		/* 001: at least 8 ASCII characters, 2 of upper, lower,
		 * digit, symbol.  64 is our ceiling, not the manual's. */
		pol->min_length = 8;
		pol->max_length = 64;
		pol->min_classes = 2;
		cfg->user_id_kind = "email";
		cfg->registrant_types = registrant_types_lgpos;
		break;
	case PROFILE_IMMIGRATION:
		/* 003 §3: 10 to 20 characters, all four classes, symbols
		 * only from this set. */
		pol->min_length = 10;
		pol->max_length = 20;
		pol->min_classes = 4;
		strcpy(pol->symbols, "$%&=@_#*+-?!");
		cfg->user_id_kind = "issued";
		cfg->registrant_types = registrant_types_immigration;
		/* 003 §3 step 5: the mailed link (here its key) is valid
		 * 24 hours. */
		cfg->code_kind = CODE_KEY;
		lim->code_length = 12;
		lim->code_ttl = 86400;
		break;
	case PROFILE_OSS:
		/* Seed 002 says nothing about the password's form; the
		 * careful choice is the lgpos rule (8 to 64 ASCII, 2
		 * classes).  002 §2: the payment-user password is valid
		 * 60 days. */
		pol->min_length = 8;
		pol->max_length = 64;
		pol->min_classes = 2;
		lim->password_max_age = 60;
		cfg->user_id_kind = "oss";
		break;
	}

	/* What the configuration sets wins over the manual's numbers. */
	{
		const long *o = (const long *)&cfg->limit_override;
		long *l = (long *)lim;

		for (size_t i = 0; i < SETTINGS_NLIMITS; i++) {
			if (o[i] >= 0)
				l[i] = o[i];
		}
	}
	if (cfg->policy_min_length >= 0)
		pol->min_length = (int)cfg->policy_min_length;
	if (cfg->policy_max_length >= 0)
		pol->max_length = (int)cfg->policy_max_length;
	if (cfg->policy_min_classes >= 0)
		pol->min_classes = (int)cfg->policy_min_classes;
	if (cfg->policy_symbols != NULL)
		snprintf(pol->symbols, sizeof pol->symbols, "%s",
		    cfg->policy_symbols);
}

/* Release what cfg owns. */
void
settings_free(struct settings *cfg)
{
	free(cfg->data_dir);
	if (cfg->database != NULL)
		free_secret(&cfg->database);
	free(cfg->listen);
	free(cfg->port_file);
	free(cfg->cert);
	free(cfg->key);
	free(cfg->service_name);
	free(cfg->test_clock_file);
	free(cfg->mail_dir);
	free(cfg->mail_from);
	free(cfg->smtp_url);
	free(cfg->smtp_user);
	if (cfg->smtp_password != NULL)
		free_secret(&cfg->smtp_password);
	free(cfg->policy_symbols);
	free(cfg->timezone);
	free(cfg->metrics_listen);
	free(cfg->tls_names);
	memset(cfg, 0, sizeof *cfg);
}
