/* What the client knows about the service and the person logged in:
 * the service's published rules (GET /api/v1/info) and the session token.
 * Nothing here knows the screens: placeholder.c fills a screen's text
 * from this and from what was typed. */
#ifndef MADOGUCHI_SESSION_H
#define MADOGUCHI_SESSION_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "validate.h"

struct session {
	/* The service, from /api/v1/info. */
	bool info_known;
	char *service_name;
	char *profile;
	char *user_id_kind;
	struct password_policy policy;
	cJSON *info;		/* the whole answer, for {limits.*} */
	cJSON *vars;		/* members of earlier answers, for {vars.*}
				   and with= (a registration handle...) */
	/* The person. */
	char *token;		/* secret: wiped on log-out */
	char *user_id;
	char *name;
	/* Display language code (static string from lang.c). */
	const char *lang;
	/* 003 §2.6: when the service will end the session unless there is
	 * activity (monotonic seconds), and how early to warn. */
	long idle_timeout;
	long idle_warning;
	double deadline;
	bool warned;		/* the warning for this deadline was shown */
	/* Kiosk mode: no way out to a shell, no Quit entries. */
	bool kiosk;
	/* Counts the changes to what is shown from here (the service's
	 * rules, kept answers, the person's names): a screen laid out
	 * before a change is laid out again (layoutcache.c). */
	unsigned long epoch;
};

/* Seconds as people say them ("30 minutes", "24 hours"), translated. */
void session_duration(long long seconds, char *buf, size_t bufsize);
/* Seconds on the monotonic clock. */
double session_clock(void);
/* A request the service counted as activity has just succeeded: the
 * session now ends idle_timeout seconds from now. */
void session_touch(struct session *);

/* Empty session. */
void session_init(struct session *);
/* Take what /api/v1/info answered; false if it is not usable. */
bool session_set_info(struct session *, const cJSON *info);
/* Take what POST /api/v1/session answered; false if it is malformed. */
bool session_login(struct session *, const cJSON *reply);
/* Forget the person, wiping the token. */
void session_logout(struct session *);
/* True while a token is held. */
bool session_active(const struct session *);
/* True if the service's /api/v1/info has true at the dotted path
 * ("features.registration"); false while it has not answered. */
bool session_flag(const struct session *, const char *path);
/* An if= condition: "features.X" (session_flag), or "vars.NAME:a,b"
 * (a kept value is one of those). */
bool session_cond(const struct session *, const char *cond);
/* Keep a whole answer under one name in vars (a table's page). */
void session_keep_as(struct session *, const char *name, const cJSON *);
/* Drop what was kept under name. */
void session_forget(struct session *, const char *name);
/* A member of obj formatted as placeholders are ("issued_at:datetime"),
 * or NULL when it is missing or null. */
const char *session_format(const cJSON *obj, const char *key, char *buf,
    size_t bufsize);
/* session_format with a key of len bytes (not NUL-terminated). */
const char *session_formatn(const cJSON *obj, const char *key, size_t len,
    char *buf, size_t bufsize);
/* Keep the members of a call's answer (an object) in vars. */
void session_keep(struct session *, const cJSON *answer);
/* A kept member as text (strings as they are, numbers in decimal), or
 * NULL; buf holds a number's text. */
const char *session_var(const struct session *, const char *name,
    char *buf, size_t bufsize);
/* Free everything. */
void session_free(struct session *);

#endif
