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

/* Time and attempt limits published in GET /api/v1/info "limits".
 * Each has a default from the profile's manual (settings_finish) and can
 * be set in the configuration under the same name. */
struct limits {
	long lockout_failures;
	long lockout_duration;
	long code_length;	/* digits of a registration code, or key length */
	long code_ttl;
	long code_attempts;	/* wrong codes or keys before it is void */
	long reset_key_length;
	long reset_key_ttl;
	long password_max_age;	/* days; 0 = passwords do not expire */
	long reminder_interval;	/* M7 receipt reminders: every ... */
	long reminder_period;	/* ... for this long after issue */
	long receipts_page_size;
	long notices_page_size;
};

/* How a registration code looks: 6 digits typed from the mail (000 ④),
 * or a key printed in the mail (003 §3 step 5 mails a link; a terminal
 * person types its key). */
enum code_kind {
	CODE_DIGITS,
	CODE_KEY
};

/* Rate limits (docs/api.md "Rate limits"), one rule per kind of
 * attempt.  Named in the configuration rate_KIND_per_client,
 * rate_KIND_per_target and rate_KIND_window (KIND from
 * settings_rate_name). */
enum rate_class {
	RATE_REGISTRATION,	/* R3 starts (and M3 requests): mail a code */
	RATE_CODE,		/* code and key guesses: R4, A2, M3, M6 */
	RATE_RECOVERY,		/* A1, A2 and M6 requests: mail an ID or key */
	RATE_LOGIN,		/* log-ins, and A3 (a password checked) */
	RATE_CLASSES
};

/* At most per_client attempts from one client address and per_target
 * for one e-mail address or user ID in window seconds; 0 = no limit. */
struct rate_rule {
	long per_client;
	long per_target;
	long window;
};

/* How long dead rows stay before the purge deletes them (purge.c), and
 * how often it runs; all seconds. */
struct purge_rules {
	long interval;
	long registrations_after;	/* past a pre-registration's expiry */
	long codes_after;		/* past a code's use or expiry */
	long sent_mail_after;		/* past a mail's delivery */
};

/* Number of limits, for the override table. */
#define SETTINGS_NLIMITS (sizeof(struct limits) / sizeof(long))

struct settings {
	char *data_dir;
	/* A SQLite file's path or a PostgreSQL connection string (db.h);
	 * NULL = DATA_DIR/madoguchid.sqlite.  May hold a password: never
	 * logged. */
	char *database;
	char *listen;
	long port;
	char *port_file;
	enum profile profile;
	char *cert;
	char *key;
	/* Names beyond localhost, 127.0.0.1 and ::1 the generated
	 * certificate is for (tlsnames.h); NULL or empty for none. */
	char *tls_names;
	long keep_ca_key;	/* 1: keep the generated CA's private key */
	char *service_name;
	long idle_timeout;
	long idle_warning;
	long max_body;
	long hash_concurrency;
	long hash_wait;		/* seconds a request waits for a hash slot */
	long hash_time;		/* argon2id passes (t) */
	long hash_memory;	/* argon2id memory (m), KiB */

	/* Connections (docs/api.md "Connections"). */
	long http_threads;	/* event threads, each serving many connections */
	long workers;		/* threads for requests that do not hash */
	long max_connections;
	long per_client_connections;	/* open at once from one address */
	long request_timeout;	/* seconds to receive a whole request */
	long keepalive_timeout;	/* seconds an idle connection is kept */
	long drain_timeout;	/* seconds a stop waits for requests */
	char *test_clock_file;
	char *timezone;		/* for mails' dates when TZ is not set */
	/* GET /metrics on its own plain-HTTP address ("ADDR:PORT");
	 * NULL or empty: not served at all (metrics_http.h). */
	char *metrics_listen;

	/* Mail: a Maildir outbox by default, or SMTP through libcurl. */
	char *mail_dir;		/* default DATA_DIR/outbox */
	char *mail_from;
	char *smtp_url;		/* smtp:// or smtps://; NULL = Maildir */
	char *smtp_user;
	char *smtp_password;
	long mail_retry;	/* seconds before the first retry; doubles */
	long mail_lease;	/* seconds a worker holds the mails it took */

	struct rate_rule rate[RATE_CLASSES];
	struct purge_rules purge;

	/* Set in the configuration; -1 (or NULL) = the profile's default. */
	struct limits limit_override;
	long policy_min_length;
	long policy_max_length;
	long policy_min_classes;
	char *policy_symbols;

	/* Derived from the profile and the overrides by settings_finish. */
	struct password_policy policy;
	struct limits limits;
	enum code_kind code_kind;
	const char *user_id_kind;
	/* Registrant types this profile registers (R1); NULL-terminated,
	 * empty when the profile has no self-registration (oss). */
	const char *const *registrant_types;
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
/* Name of a kind of rate-limited attempt ("login"), as in the
 * configuration's keys and GET /api/v1/info. */
const char *settings_rate_name(enum rate_class);

#endif
