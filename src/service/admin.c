/* user-add, user-list, user-unlock, user-delete, user-collisions. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "admin_json.h"
#include "auth.h"
#include "clock.h"
#include "newuser.h"
#include "store.h"
#include "termsafe.h"
#include "ttypass.h"
#include "userid.h"
#include "validate.h"
#include "xmalloc.h"

/* Describe a failed rule in English for the terminal. */
static void
admin_verdict(const char *what, struct verdict v)
{
	char text[160];

	newuser_verdict_text(v, text, sizeof text);
	fprintf(stderr, "madoguchid: %s: %s\n", what, text);
}

/* Print a store failure. */
static void
admin_store_error(enum store_rc rc)
{
	fprintf(stderr, "madoguchid: %s\n", rc == STORE_BUSY ?
	    "the database is busy; try again" : "database failure");
}

/* Say why user-add's arguments were refused; the exit code: 2 for an
 * option missing or not among its choices, 1 for a value the rules
 * refuse. */
static int
admin_fault(const struct settings *cfg, const struct newuser *nu,
    const struct newuser_fault *f)
{
	static const struct {
		const char *field;
		const char *what;
	} names[] = {
		{ "user_id", "user ID" }, { "name", "name" },
		{ "email", "e-mail address" }, { "name_latin", "Latin name" },
	};

	if (f->v.code == ERR_MISSING_FIELD) {
		if (strcmp(f->field, "email") == 0)
			fprintf(stderr, "madoguchid: --email is required in "
			    "the %s profile\n", settings_profile_name(
			    cfg->profile));
		else if (strcmp(f->field, "name") == 0)
			fprintf(stderr, "madoguchid: --name is required\n");
		else if (strcmp(f->field, "user_id") == 0)
			fprintf(stderr, "madoguchid: a user ID is required in "
			    "the lgpos profile\n");
		else
			fprintf(stderr, "madoguchid: --name-latin and "
			    "--category are required in the immigration "
			    "profile\n");
		return 2;
	}
	if (strcmp(f->field, "category") == 0) {
		fprintf(stderr, "madoguchid: --category must be one of "
		    "organisation_staff, attorney, foreign_national, "
		    "legal_representative\n");
		return 2;
	}
	if (strcmp(f->field, "kind") == 0) {
		fprintf(stderr, "madoguchid: --kind must be individual or "
		    "corporation\n");
		return 2;
	}
	if (strcmp(f->field, "lang") == 0) {
		fprintf(stderr, "madoguchid: unknown language \"%s\"\n",
		    nu->lang);
		return 2;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(f->field, names[i].field) == 0)
			admin_verdict(names[i].what, f->v);
	return 1;
}

/* Check user-add's arguments against the profile; 0, or the exit code. */
static int
admin_check_user(const struct settings *cfg, struct newuser *nu)
{
	struct newuser_fault fault;

	return newuser_check(cfg, nu, &fault) ? 0 :
	    admin_fault(cfg, nu, &fault);
}

/* Read one password (saying which on a terminal), check it against the
 * policy and hash it into hash; 0, or 1 with the reason printed. */
static int
admin_password(const struct settings *cfg, struct auth *auth,
    const char *which, char hash[crypto_pwhash_STRBYTES])
{
	char *password = NULL, *error = NULL;
	struct verdict v;
	enum auth_rc arc;

	if (which != NULL && isatty(STDIN_FILENO))
		fprintf(stderr, "%s\n", which);
	if (ttypass_read(&password, &error) != 0) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
		return 1;
	}
	if ((v = validate_password(&cfg->policy, password)).code != ERR_NONE) {
		free_secret(&password);
		admin_verdict(which != NULL ? which : "password", v);
		return 1;
	}
	arc = auth_hash(auth, password, hash);
	free_secret(&password);
	if (arc != AUTH_OK) {
		fprintf(stderr, "madoguchid: password hashing failed\n");
		return 1;
	}
	return 0;
}

/* Store the user, issuing IDs (immigration, oss) until a free one is
 * drawn; u->user_id and u->bulk_user_id point into ids. */
static enum store_rc
admin_store_user(const struct settings *cfg, struct store *st,
    struct store_user *u, char ids[2][16])
{
	enum store_rc rc = STORE_EXISTS;

	for (int attempt = 0; attempt < 20 && rc == STORE_EXISTS; attempt++) {
		if (cfg->profile == PROFILE_IMMIGRATION) {
			userid_immigration(ids[0], sizeof ids[0]);
			u->user_id = ids[0];
		} else if (cfg->profile == PROFILE_OSS) {
			userid_oss(ids[0], ids[1], sizeof ids[0]);
			u->user_id = ids[0];
			u->bulk_user_id = ids[1];
		}
		rc = store_user_add(st, u);
		if (cfg->profile == PROFILE_LGPOS)
			break;
	}
	return rc;
}

/* Read, check, hash the password(s) and store the user. */
static int
admin_create(const struct settings *cfg, const struct newuser *nu,
    bool json)
{
	char hash[crypto_pwhash_STRBYTES], bulk_hash[crypto_pwhash_STRBYTES];
	char ids[2][16], *error = NULL;
	bool oss = cfg->profile == PROFILE_OSS;
	struct store_user u;
	struct store *st;
	struct auth *auth;
	enum store_rc rc;
	time_t now;
	int status;

	if ((auth = auth_new(1, 10, cfg->hash_time, cfg->hash_memory)) == NULL) {
		fprintf(stderr, "madoguchid: cannot initialise libsodium\n");
		return 1;
	}
	/* 002 §2: the payment user and the bulk user each have their own
	 * password, read in that order. */
	status = admin_password(cfg, auth, oss ? "payment-user password" :
	    NULL, hash);
	if (status == 0 && oss)
		status = admin_password(cfg, auth, "bulk-user password",
		    bulk_hash);
	auth_free(auth);
	if (status != 0) {
		wipe(hash, sizeof hash);
		return status;
	}

	if ((st = store_open(cfg->data_dir, cfg->database, &error)) == NULL) {
		wipe(hash, sizeof hash);
		wipe(bulk_hash, sizeof bulk_hash);
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
		return 1;
	}
	now = clock_now(cfg->test_clock_file);
	memset(&u, 0, sizeof u);
	u.user_id = (char *)nu->user_id;
	u.name = (char *)nu->name;
	u.email = (char *)nu->email;
	u.lang = (char *)nu->lang;
	u.password_hash = hash;
	u.password_changed_at = now;
	u.created_at = now;
	if (oss) {
		u.kind = (char *)nu->kind;
		u.bulk_password_hash = bulk_hash;
	}
	if (cfg->profile == PROFILE_IMMIGRATION) {
		u.kind = (char *)nu->category;
		u.name_latin = (char *)nu->name_latin;
	}
	rc = admin_store_user(cfg, st, &u, ids);
	wipe(hash, sizeof hash);
	wipe(bulk_hash, sizeof bulk_hash);
	store_close(st);
	if (rc == STORE_EXISTS) {
		fprintf(stderr, "madoguchid: user %s already exists\n",
		    u.user_id);
		return 1;
	}
	if (rc != STORE_OK) {
		admin_store_error(rc);
		return 1;
	}
	if (json) {
		struct admin_json j;

		admin_json_begin(&j, stdout, false);
		admin_json_str(&j, "user_id", u.user_id);
		if (oss)
			admin_json_str(&j, "bulk_user_id", u.bulk_user_id);
		admin_json_end(&j, false);
		return 0;
	}
	printf("madoguchid: user %s created\n", u.user_id);
	if (oss)
		printf("madoguchid: bulk user %s created\n", u.bulk_user_id);
	return 0;
}

/* The usage of user-add in a profile. */
static void
admin_user_add_usage(const struct settings *cfg)
{
	switch (cfg->profile) {
	case PROFILE_LGPOS:
		fprintf(stderr, "usage: madoguchid [OPTIONS] user-add USER_ID "
		    "--name NAME [--email EMAIL] [--lang LANG]\n");
		break;
	case PROFILE_OSS:
		fprintf(stderr, "usage: madoguchid [OPTIONS] user-add --name "
		    "NAME --email EMAIL [--kind individual|corporation] "
		    "[--lang LANG]\n");
		break;
	case PROFILE_IMMIGRATION:
		fprintf(stderr, "usage: madoguchid [OPTIONS] user-add "
		    "--name-latin NAME --category CATEGORY --email EMAIL "
		    "[--name NAME] [--lang LANG]\n");
		break;
	}
}

/* user-add: lgpos USER_ID --name NAME [--email EMAIL]; oss --name NAME
 * --email EMAIL [--kind KIND] (issues both IDs, 002 §2); immigration
 * --name-latin NAME --category CAT --email EMAIL (issues the ID,
 * 003 §3 step 8); all [--lang LANG]. */
int
admin_user_add(const struct settings *cfg, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "lang", required_argument, NULL, 'L' },
		{ "kind", required_argument, NULL, 'k' },
		{ "name-latin", required_argument, NULL, 'N' },
		{ "category", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct newuser nu = { NULL, NULL, NULL, "ja", NULL, NULL,
	    NULL };
	int c, rc, positional;
	bool json = admin_json_take(&argc, argv);

	optind = 0;	/* glibc: restart scanning, permuting arguments */
	while ((c = getopt_long(argc, argv, "n:e:L:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			nu.name = optarg;
			break;
		case 'e':
			nu.email = optarg;
			break;
		case 'L':
			nu.lang = optarg;
			break;
		case 'k':
			nu.kind = optarg;
			break;
		case 'N':
			nu.name_latin = optarg;
			break;
		case 'C':
			nu.category = optarg;
			break;
		default:
			admin_user_add_usage(cfg);
			return 2;
		}
	}
	/* Only lgpos names its user: the address is the ID (001). */
	positional = cfg->profile == PROFILE_LGPOS ? 1 : 0;
	if (argc - optind != positional || (cfg->profile != PROFILE_LGPOS &&
	    nu.email == NULL) || (cfg->profile != PROFILE_IMMIGRATION &&
	    nu.name == NULL)) {
		admin_user_add_usage(cfg);
		return 2;
	}
	if (positional)
		nu.user_id = argv[optind];
	if ((rc = admin_check_user(cfg, &nu)) != 0)
		return rc;
	return admin_create(cfg, &nu, json);
}

/* What user-list prints each row against. */
struct admin_list_ctx {
	time_t now;
	struct admin_json *json;	/* NULL: lines of text */
};

/* A time as UTC ISO 8601, or "-" for none. */
static void
admin_time(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One line of user-list. */
static void
admin_list_row(void *arg, const struct store_user *u)
{
	const struct admin_list_ctx *ctx = arg;
	char locked[48] = "-", last[32];

	if (ctx->json != NULL) {
		admin_json_row_begin(ctx->json);
		admin_json_str(ctx->json, "user_id", u->user_id);
		admin_json_str(ctx->json, "name", u->name);
		admin_json_str(ctx->json, "email", u->email);
		admin_json_time(ctx->json, "locked_until",
		    u->locked_until > ctx->now ? u->locked_until : -1);
		admin_json_time(ctx->json, "last_login", u->last_login);
		admin_json_row_end(ctx->json);
		return;
	}
	if (u->locked_until > ctx->now) {
		char until[32];

		admin_time(u->locked_until, until, sizeof until);
		snprintf(locked, sizeof locked, "locked-until=%s", until);
	}
	admin_time(u->last_login, last, sizeof last);
	/* Rows stored before the field rules refused hidden characters
	 * may hold escape sequences: never send them raw to a terminal. */
	termsafe_print(stdout, u->user_id);
	putchar('\t');
	termsafe_print(stdout, u->name);
	printf("\t%s\t%s\n", locked, last);
}

/* Open the store or say why not. */
static struct store *
admin_open(const struct settings *cfg)
{
	char *error = NULL;
	struct store *st = store_open(cfg->data_dir, cfg->database, &error);

	if (st == NULL) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
	}
	return st;
}

/* user-list: user ID, name, lock, last log-in; tab-separated. */
int
admin_user_list(const struct settings *cfg, int argc, char **argv)
{
	struct admin_list_ctx ctx;
	struct admin_json j;
	struct store *st;
	enum store_rc rc;
	bool json = admin_json_take(&argc, argv);

	if (argc != 1) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] user-list "
		    "[--json]\n");
		return 2;
	}
	if ((st = admin_open(cfg)) == NULL)
		return 1;
	ctx.now = clock_now(cfg->test_clock_file);
	ctx.json = json ? &j : NULL;
	if (json)
		admin_json_begin(&j, stdout, true);
	rc = store_user_list(st, admin_list_row, &ctx);
	store_close(st);
	if (json)
		admin_json_end(&j, true);
	if (rc != STORE_OK) {
		admin_store_error(rc);
		return 1;
	}
	return 0;
}

/* The JSON answer of a command that did one thing to one user. */
static int
admin_json_done(const char *user_id, const char *what)
{
	struct admin_json j;

	admin_json_begin(&j, stdout, false);
	admin_json_str(&j, "user_id", user_id);
	admin_json_bool(&j, what, true);
	admin_json_end(&j, false);
	return 0;
}

/* user-unlock USER_ID: lift a lockout (003 §2.2) at the counter. */
int
admin_user_unlock(const struct settings *cfg, int argc, char **argv)
{
	struct store *st;
	enum store_rc rc;
	bool json = admin_json_take(&argc, argv);

	if (argc != 2) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] user-unlock "
		    "USER_ID [--json]\n");
		return 2;
	}
	if ((st = admin_open(cfg)) == NULL)
		return 1;
	rc = store_user_unlock(st, argv[1], clock_now(cfg->test_clock_file));
	store_close(st);
	if (rc == STORE_NOT_FOUND) {
		fputs("madoguchid: no user ", stderr);
		termsafe_print(stderr, argv[1]);
		fputc('\n', stderr);
		return 1;
	}
	if (rc != STORE_OK) {
		admin_store_error(rc);
		return 1;
	}
	if (json)
		return admin_json_done(argv[1], "unlocked");
	fputs("madoguchid: user ", stdout);
	termsafe_print(stdout, argv[1]);
	puts(" unlocked");
	return 0;
}

/* user-delete USER_ID: remove an account, named by its exact spelling
 * so that either row of a collision (user-collisions) can be chosen. */
int
admin_user_delete(const struct settings *cfg, int argc, char **argv)
{
	struct store *st;
	enum store_rc rc;
	bool json = admin_json_take(&argc, argv);

	if (argc != 2) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] user-delete "
		    "USER_ID [--json]\n");
		return 2;
	}
	if ((st = admin_open(cfg)) == NULL)
		return 1;
	rc = store_user_delete(st, argv[1]);
	store_close(st);
	if (rc == STORE_NOT_FOUND) {
		fputs("madoguchid: no user spelt exactly ", stderr);
		termsafe_print(stderr, argv[1]);
		fputc('\n', stderr);
		return 1;
	}
	if (rc != STORE_OK) {
		admin_store_error(rc);
		return 1;
	}
	if (json)
		return admin_json_done(argv[1], "deleted");
	fputs("madoguchid: user ", stdout);
	termsafe_print(stdout, argv[1]);
	puts(" deleted");
	return 0;
}

/* One line (or object) of user-collisions. */
static void
admin_collision_row(void *arg, const char *user_id, const char *holder)
{
	struct admin_json *j = arg;

	if (j != NULL) {
		admin_json_row_begin(j);
		admin_json_str(j, "user_id", user_id);
		admin_json_str(j, "holder", holder);
		admin_json_row_end(j);
		return;
	}
	termsafe_print(stdout, user_id);
	putchar('\t');
	termsafe_print(stdout, holder != NULL ? holder : "-");
	putchar('\n');
}

/* user-collisions: user IDs that differ only in case from another,
 * made before IDs were compared without case; tab-separated, the ID
 * found only by its exact spelling, then the one that holds the key. */
int
admin_user_collisions(const struct settings *cfg, int argc, char **argv)
{
	struct admin_json j;
	struct store *st;
	enum store_rc rc;
	bool json = admin_json_take(&argc, argv);

	if (argc != 1) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] "
		    "user-collisions [--json]\n");
		return 2;
	}
	if ((st = admin_open(cfg)) == NULL)
		return 1;
	if (json)
		admin_json_begin(&j, stdout, true);
	rc = store_user_collisions(st, admin_collision_row, json ? &j : NULL);
	store_close(st);
	if (json)
		admin_json_end(&j, true);
	if (rc != STORE_OK) {
		admin_store_error(rc);
		return 1;
	}
	return 0;
}
