/* user-import FILE|-: users from a CSV file, in batches of one write
 * transaction each (store_import.h), with a line of progress on stderr
 * every few seconds.  user-add hashes a password and commits once per
 * user, 0.2-0.3 s each; here no password is hashed (a hash from the old
 * system is kept as it is, or the person gets a mailed key) and one
 * commit covers a batch, so that 100,000 users take minutes. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <sodium.h>

#include "admin_import.h"
#include "admin_import_int.h"
#include "clock.h"
#include "csv.h"
#include "userid.h"
#include "xmalloc.h"

/* Rows a transaction: large enough that commits cost little, small
 * enough that a running service waits for the write lock only
 * milliseconds. */
#define IMPORT_BATCH 500
/* A line of progress at least this often, in seconds and in rows. */
#define IMPORT_PROGRESS_SECONDS 2.0
#define IMPORT_PROGRESS_ROWS 10000
/* --key-ttl: at most 90 days. */
#define IMPORT_KEY_TTL_MAX 2160

/* What the command line asked for. */
struct import_opts {
	const char *input;
	const char *output;
	bool stop_at_first_error;
	bool json;
	long batch;
	long key_ttl_hours;	/* 0: reset_key_ttl */
};

/* The rows read and not yet written. */
struct import_batch {
	struct import_row *rows;
	struct store_import_user *users;
	size_t nrows, nusers;
	size_t cap;
};

/* A run in progress. */
struct import_ctx {
	const struct settings *cfg;
	const struct import_opts *opts;
	struct store *st;
	struct csv *csv;
	struct import_header header;
	struct import_run run;
	struct import_batch batch;
	struct timespec start;
	double last_progress;
	long last_progress_rows;
	long long size;		/* bytes of the input, or -1 unknown */
	char stopped[256];	/* why the import ended early; "" if not */
};

/* oss: a payment-user and a bulk-user ID sharing a tail (002 §2). */
static void
import_issue_oss(char *user_id, char *bulk_user_id)
{
	userid_oss(user_id, bulk_user_id, STORE_IMPORT_ID_MAX);
}

/* immigration: IM and 8 digits (003 §3 step 8). */
static void
import_issue_immigration(char *user_id, char *bulk_user_id)
{
	userid_immigration(user_id, STORE_IMPORT_ID_MAX);
	bulk_user_id[0] = '\0';
}

/* Seconds since the run began. */
static double
import_elapsed(const struct import_ctx *ctx)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - ctx->start.tv_sec) +
	    (double)(now.tv_nsec - ctx->start.tv_nsec) / 1e9;
}

/* A line of progress when it is time for one. */
static void
import_progress(struct import_ctx *ctx)
{
	const struct import_run *r = &ctx->run;
	double t = import_elapsed(ctx), rate;
	long long done = csv_offset(ctx->csv);

	if (t - ctx->last_progress < IMPORT_PROGRESS_SECONDS &&
	    r->read - ctx->last_progress_rows < IMPORT_PROGRESS_ROWS)
		return;
	ctx->last_progress = t;
	ctx->last_progress_rows = r->read;
	rate = t > 0 ? (double)r->read / t : 0;
	fprintf(stderr, "madoguchid: user-import: %ld rows read, %ld "
	    "imported, %ld skipped; %.0f rows a second", r->read, r->imported,
	    r->existing + r->invalid, rate);
	/* What is left, from the bytes still to read. */
	if (ctx->size > 0 && done > 0 && done < ctx->size)
		fprintf(stderr, ", about %.0f s left", t *
		    (double)(ctx->size - done) / (double)done);
	fputc('\n', stderr);
}

/* Forget the batch's rows. */
static void
import_batch_clear(struct import_batch *b)
{
	for (size_t i = 0; i < b->nrows; i++)
		import_row_clear(&b->rows[i]);
	b->nrows = b->nusers = 0;
}

/* Write the batch, then say what became of each of its rows; false
 * when the store refused it (then nothing of it was written). */
static bool
import_flush(struct import_ctx *ctx)
{
	struct import_batch *b = &ctx->batch;
	const struct settings *cfg = ctx->cfg;
	struct store_import_batch sb;
	enum store_rc rc = STORE_OK;

	memset(&sb, 0, sizeof sb);
	sb.users = b->users;
	sb.n = b->nusers;
	sb.issue = cfg->profile == PROFILE_OSS ? import_issue_oss :
	    cfg->profile == PROFILE_IMMIGRATION ? import_issue_immigration :
	    NULL;
	sb.now = clock_now(cfg->test_clock_file);
	sb.ttl_hours = ctx->opts->key_ttl_hours > 0 ?
	    ctx->opts->key_ttl_hours : cfg->limits.reset_key_ttl / 3600;
	sb.key_expires = sb.now + (ctx->opts->key_ttl_hours > 0 ?
	    ctx->opts->key_ttl_hours * 3600 : cfg->limits.reset_key_ttl);
	if (sb.n > 0)
		rc = store_import(ctx->st, &sb);
	if (rc != STORE_OK) {
		snprintf(ctx->stopped, sizeof ctx->stopped, "%s at the rows "
		    "from line %ld", rc == STORE_BUSY ? "the database is "
		    "busy" : rc == STORE_FULL ? "the database's storage is "
		    "full" : "database failure", b->rows[0].line);
		import_batch_clear(b);
		return false;
	}
	for (size_t i = 0; i < b->nrows; i++)
		import_report_row(&ctx->run, &b->rows[i], b->rows[i].valid ?
		    &b->users[b->rows[i].user] : NULL);
	if (ctx->run.out != NULL)
		fflush(ctx->run.out);
	import_batch_clear(b);
	import_progress(ctx);
	return true;
}

/* Take a record into the batch; false when the import must stop
 * (--stop-at-first-error on a refused row). */
static bool
import_take(struct import_ctx *ctx, enum csv_rc rc,
    const struct csv_record *rec)
{
	struct import_batch *b = &ctx->batch;
	struct import_row *row;

	if (b->nrows == b->cap) {
		b->cap = b->cap == 0 ? (size_t)ctx->opts->batch : b->cap * 2;
		b->rows = xreallocarray(b->rows, b->cap, sizeof *b->rows);
		b->users = xreallocarray(b->users, b->cap, sizeof *b->users);
	}
	row = &b->rows[b->nrows++];
	ctx->run.read++;
	if (rc == CSV_BAD)
		import_row_bad(rec->line, rec->error, row);
	else
		import_row_check(ctx->cfg, &ctx->header, rec->fields, rec->n,
		    rec->line, row, &b->users[b->nusers]);
	if (row->valid)
		row->user = b->nusers++;
	else if (ctx->opts->stop_at_first_error) {
		snprintf(ctx->stopped, sizeof ctx->stopped, "line %ld is "
		    "refused (--stop-at-first-error)", row->line);
		return false;
	}
	return true;
}

/* Read the header, then every record, writing a batch whenever it is
 * full. */
static void
import_rows(struct import_ctx *ctx)
{
	struct csv_record rec;
	enum csv_rc rc;

	rc = csv_next(ctx->csv, &rec);
	if (rc == CSV_END || rc == CSV_READ_ERROR) {
		snprintf(ctx->stopped, sizeof ctx->stopped, rc == CSV_END ?
		    "the file has no header line" : "the file cannot be "
		    "read");
		return;
	}
	if (rc == CSV_BAD || import_header_read(ctx->cfg, rec.fields, rec.n,
	    &ctx->header) != 0) {
		snprintf(ctx->stopped, sizeof ctx->stopped, "line %ld: %s",
		    rec.line, rc == CSV_BAD ? rec.error : "the header is not "
		    "one this profile takes");
		return;
	}
	for (;;) {
		rc = csv_next(ctx->csv, &rec);
		if (rc == CSV_END)
			break;
		if (rc == CSV_READ_ERROR) {
			snprintf(ctx->stopped, sizeof ctx->stopped, "the file "
			    "cannot be read after line %ld", rec.line);
			break;
		}
		if (!import_take(ctx, rc, &rec))
			break;
		if (ctx->batch.nrows >= (size_t)ctx->opts->batch &&
		    !import_flush(ctx))
			return;
	}
	(void)import_flush(ctx);
}

/* The usage line. */
static int
import_usage(void)
{
	fprintf(stderr, "usage: madoguchid [OPTIONS] user-import FILE|- "
	    "[--output FILE] [--stop-at-first-error] [--key-ttl HOURS] "
	    "[--batch N] [--json]\n");
	return 2;
}

/* A whole number from lo to hi, or -1. */
static long
import_number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	return v;
}

/* Parse the command line; 0, or the exit status. */
static int
import_options(int argc, char **argv, struct import_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "stop-at-first-error", no_argument, NULL, 's' },
		{ "key-ttl", required_argument, NULL, 'k' },
		{ "batch", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->batch = IMPORT_BATCH;
	optind = 0;	/* glibc: restart scanning, permuting arguments */
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 's':
			o->stop_at_first_error = true;
			break;
		case 'k':
			if ((o->key_ttl_hours = import_number(optarg, 1,
			    IMPORT_KEY_TTL_MAX)) < 0) {
				fprintf(stderr, "madoguchid: --key-ttl: hours "
				    "from 1 to %d\n", IMPORT_KEY_TTL_MAX);
				return 2;
			}
			break;
		case 'b':
			if ((o->batch = import_number(optarg, 1, 10000)) < 0) {
				fprintf(stderr, "madoguchid: --batch: rows "
				    "from 1 to 10000\n");
				return 2;
			}
			break;
		default:
			return import_usage();
		}
	}
	if (argc - optind != 1)
		return import_usage();
	o->input = argv[optind];
	return 0;
}

/* Open the input (and learn its size, for the estimate) and the output;
 * 0, or 1 with the reason printed. */
static int
import_open(struct import_ctx *ctx, FILE **in)
{
	const struct import_opts *o = ctx->opts;
	struct stat sb;

	*in = strcmp(o->input, "-") == 0 ? stdin : fopen(o->input, "r");
	if (*in == NULL) {
		fprintf(stderr, "madoguchid: %s: %s\n", o->input,
		    strerror(errno));
		return 1;
	}
	ctx->size = fstat(fileno(*in), &sb) == 0 && S_ISREG(sb.st_mode) ?
	    (long long)sb.st_size : -1;
	if (o->output != NULL &&
	    (ctx->run.out = fopen(o->output, "w")) == NULL) {
		fprintf(stderr, "madoguchid: %s: %s\n", o->output,
		    strerror(errno));
		if (*in != stdin)
			fclose(*in);
		return 1;
	}
	return 0;
}

/* user-import FILE|- */
int
admin_user_import(const struct settings *cfg, int argc, char **argv)
{
	struct import_opts opts;
	struct import_ctx ctx;
	struct admin_json j;
	char *error = NULL;
	FILE *in;
	int status;

	memset(&opts, 0, sizeof opts);
	opts.json = admin_json_take(&argc, argv);
	if ((status = import_options(argc, argv, &opts)) != 0)
		return status;
	if (sodium_init() < 0) {
		fprintf(stderr, "madoguchid: cannot initialise libsodium\n");
		return 1;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.cfg = cfg;
	ctx.opts = &opts;
	ctx.run.cfg = cfg;
	ctx.run.json = opts.json ? &j : NULL;
	if (import_open(&ctx, &in) != 0)
		return 1;
	if ((ctx.st = store_open(cfg->data_dir, cfg->database, &error)) ==
	    NULL) {
		fprintf(stderr, "madoguchid: %s\n", error);
		free(error);
		if (in != stdin)
			fclose(in);
		if (ctx.run.out != NULL)
			fclose(ctx.run.out);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ctx.start);
	ctx.csv = csv_new(in);
	import_report_begin(&ctx.run);
	import_rows(&ctx);
	import_report_end(&ctx.run, import_elapsed(&ctx),
	    ctx.stopped[0] != '\0' ? ctx.stopped : NULL);
	status = ctx.stopped[0] != '\0' || ctx.run.invalid > 0 ? 1 : 0;
	csv_free(ctx.csv);
	free(ctx.batch.rows);
	free(ctx.batch.users);
	store_close(ctx.st);
	if (in != stdin)
		fclose(in);
	if (ctx.run.out != NULL && fclose(ctx.run.out) != 0) {
		fprintf(stderr, "madoguchid: %s: %s\n", opts.output,
		    strerror(errno));
		status = 1;
	}
	return status;
}
