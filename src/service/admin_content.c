/* notice-add, certificate-issue, mail-list. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "admin_content.h"
#include "admin_json.h"
#include "clock.h"
#include "store_content.h"
#include "termsafe.h"
#include "validate.h"
#include "xmalloc.h"

/* The longest notice title and text accepted. */
#define ADMIN_TITLE_MAX 200
#define ADMIN_BODY_MAX 65536
/* A certificate number: 003 §5 shows 18 digits (202507231500000001). */
#define ADMIN_NUMBER_MAX 32

/* Print a store failure. */
static void
admin_content_store_error(enum store_rc rc)
{
	fprintf(stderr, "madoguchid: %s\n", rc == STORE_BUSY ?
	    "the database is busy; try again" : "database failure");
}

/* Open the store or say why not. */
static struct store *
admin_content_open(const struct settings *cfg)
{
	char *error = NULL;
	struct store *st = store_open(cfg->data_dir, cfg->database, &error);

	if (st == NULL) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
	}
	return st;
}

/* Read a whole text (at most ADMIN_BODY_MAX bytes) from f; NULL with a
 * message on failure. */
static char *
admin_content_read(FILE *f, const char *what)
{
	char *buf = xmalloc(ADMIN_BODY_MAX + 1);
	size_t n = fread(buf, 1, ADMIN_BODY_MAX + 1, f);

	if (ferror(f)) {
		fprintf(stderr, "madoguchid: %s: cannot read\n", what);
		free(buf);
		return NULL;
	}
	if (n > ADMIN_BODY_MAX) {
		fprintf(stderr, "madoguchid: %s: longer than %d bytes\n", what,
		    ADMIN_BODY_MAX);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (strlen(buf) != n || !utf8_valid(buf, n)) {
		fprintf(stderr, "madoguchid: %s: not UTF-8 text\n", what);
		free(buf);
		return NULL;
	}
	return buf;
}

/* The body from --body-file or stdin. */
static char *
admin_notice_body(const char *file)
{
	FILE *f;
	char *body;

	if (file == NULL)
		return admin_content_read(stdin, "standard input");
	if ((f = fopen(file, "r")) == NULL) {
		perror(file);
		return NULL;
	}
	body = admin_content_read(f, file);
	fclose(f);
	return body;
}

/* Midnight (service time zone) of a YYYY-MM-DD date; -1 if not a date. */
static long long
admin_notice_date(const char *s)
{
	struct tm tm, check;
	int y, m, d, n = 0;
	time_t t;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) !=
	    3 || n != 10)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || localtime_r(&t, &check) ==
	    NULL || check.tm_year != y - 1900 || check.tm_mon != m - 1 ||
	    check.tm_mday != d)
		return -1;
	return (long long)t;
}

/* notice-add --title TITLE [--body-file FILE] [--date YYYY-MM-DD] */
int
admin_notice_add(const struct settings *cfg, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "body-file", required_argument, NULL, 'b' },
		{ "date", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	const char *title = NULL, *file = NULL, *date = NULL;
	long long published, id = 0;
	struct store *st;
	enum store_rc rc;
	char *body;
	int c;
	bool json = admin_json_take(&argc, argv);

	optind = 0;	/* glibc: restart scanning, permuting arguments */
	while ((c = getopt_long(argc, argv, "t:b:D:", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			title = optarg;
			break;
		case 'b':
			file = optarg;
			break;
		case 'D':
			date = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc || title == NULL) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] notice-add --title "
		    "TITLE [--body-file FILE] [--date YYYY-MM-DD] [--json]\n");
		return 2;
	}
	if (validate_name(title, ADMIN_TITLE_MAX).code != ERR_NONE) {
		fprintf(stderr, "madoguchid: title: 1 to %d characters of "
		    "UTF-8 text on one line\n", ADMIN_TITLE_MAX);
		return 1;
	}
	published = clock_now(cfg->test_clock_file);
	tzset();
	if (date != NULL && (published = admin_notice_date(date)) < 0) {
		fprintf(stderr, "madoguchid: --date: not a date (YYYY-MM-DD)\n");
		return 2;
	}
	if ((body = admin_notice_body(file)) == NULL)
		return 1;
	if ((st = admin_content_open(cfg)) == NULL) {
		free(body);
		return 1;
	}
	rc = store_notice_add(st, published, title, body, &id);
	store_close(st);
	free(body);
	if (rc != STORE_OK) {
		admin_content_store_error(rc);
		return 1;
	}
	if (json) {
		struct admin_json j;

		admin_json_begin(&j, stdout, false);
		admin_json_int(&j, "number", id);
		admin_json_end(&j, false);
	} else
		printf("%lld\n", id);
	return 0;
}

/* Is this a certificate number we accept (letters, digits, '-')? */
static bool
admin_number_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ADMIN_NUMBER_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || *s == '-'))
			return false;
	return true;
}

/* 003 §5: a number like 202507231500000001, the issue time to the
 * minute and six random digits. */
static void
admin_number_make(long long now, char *buf, size_t size)
{
	time_t t = (time_t)now;
	struct tm tm;
	char stamp[16];

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y%m%d%H%M", &tm) == 0)
		snprintf(stamp, sizeof stamp, "000000000000");
	snprintf(buf, size, "%s%06u", stamp,
	    (unsigned int)randombytes_uniform(1000000));
}

/* certificate-issue USER_ID [--number N] */
int
admin_certificate_issue(const struct settings *cfg, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "number", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	char number[ADMIN_NUMBER_MAX + 1];
	const char *given = NULL;
	struct store *st;
	enum store_rc rc;
	long long now;
	int c;
	bool json = admin_json_take(&argc, argv);

	optind = 0;
	while ((c = getopt_long(argc, argv, "n:", longopts, NULL)) != -1) {
		if (c != 'n')
			return 2;
		given = optarg;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] certificate-issue "
		    "USER_ID [--number N] [--json]\n");
		return 2;
	}
	if (cfg->profile != PROFILE_IMMIGRATION) {
		fprintf(stderr, "madoguchid: certificate receipts exist only "
		    "in the immigration profile\n");
		return 1;
	}
	if (given != NULL && !admin_number_ok(given)) {
		fprintf(stderr, "madoguchid: --number: 1 to %d letters, digits "
		    "or hyphens\n", ADMIN_NUMBER_MAX);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "madoguchid: cannot initialise libsodium\n");
		return 1;
	}
	if ((st = admin_content_open(cfg)) == NULL)
		return 1;
	now = clock_now(cfg->test_clock_file);
	tzset();
	/* A generated number that happens to be taken is drawn again. */
	for (int attempt = 0; attempt < 5; attempt++) {
		if (given != NULL)
			snprintf(number, sizeof number, "%s", given);
		else
			admin_number_make(now, number, sizeof number);
		rc = store_receipt_issue(st, argv[optind], number, now);
		if (rc != STORE_EXISTS || given != NULL)
			break;
	}
	store_close(st);
	switch (rc) {
	case STORE_OK:
		if (json) {
			struct admin_json j;

			admin_json_begin(&j, stdout, false);
			admin_json_str(&j, "user_id", argv[optind]);
			admin_json_str(&j, "number", number);
			admin_json_end(&j, false);
		} else
			printf("%s\n", number);
		return 0;
	case STORE_NOT_FOUND:
		fputs("madoguchid: no user ", stderr);
		termsafe_print(stderr, argv[optind]);
		fputc('\n', stderr);
		return 1;
	case STORE_EXISTS:
		fprintf(stderr, "madoguchid: certificate number %s is taken\n",
		    number);
		return 1;
	default:
		admin_content_store_error(rc);
		return 1;
	}
}

/* One line of mail-list. */
static void
admin_mail_row(void *arg, const struct store_mail *m)
{
	struct admin_json *j = arg;
	const char *status;

	if (m->sent_at >= 0)
		status = "sent";
	else if (m->next_attempt_at == STORE_OUTBOX_NEVER)
		status = "failed";
	else if (m->attempts > 0)
		status = "retrying";
	else
		status = "queued";
	if (j != NULL) {
		admin_json_row_begin(j);
		admin_json_int(j, "id", m->id);
		admin_json_str(j, "kind", m->kind);
		admin_json_str(j, "recipient", m->recipient);
		admin_json_int(j, "attempts", m->attempts);
		admin_json_str(j, "status", status);
		admin_json_str(j, "last_error", m->last_error);
		admin_json_time(j, "sent_at", m->sent_at);
		admin_json_row_end(j);
		return;
	}
	printf("%lld\t", m->id);
	termsafe_print(stdout, m->kind);
	putchar('\t');
	termsafe_print(stdout, m->recipient);
	printf("\t%lld\t%s\t", m->attempts, status);
	termsafe_print(stdout, m->last_error != NULL ? m->last_error : "-");
	putchar('\n');
}

/* mail-list: id, kind, recipient, attempts, status, last error;
 * tab-separated, oldest first. */
int
admin_mail_list(const struct settings *cfg, int argc, char **argv)
{
	struct admin_json j;
	struct store *st;
	enum store_rc rc;
	bool json = admin_json_take(&argc, argv);

	if (argc != 1) {
		fprintf(stderr, "usage: madoguchid [OPTIONS] mail-list "
		    "[--json]\n");
		return 2;
	}
	if ((st = admin_content_open(cfg)) == NULL)
		return 1;
	if (json)
		admin_json_begin(&j, stdout, true);
	rc = store_outbox_list(st, admin_mail_row, json ? &j : NULL);
	store_close(st);
	if (json)
		admin_json_end(&j, true);
	if (rc != STORE_OK) {
		admin_content_store_error(rc);
		return 1;
	}
	return 0;
}
