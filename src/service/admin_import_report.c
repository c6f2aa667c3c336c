/* user-import: what is said of each row and of the whole run, on the
 * terminal (refused and existing rows on stderr; issued IDs on stdout),
 * in the --output file (one CSV row per row read, so that a
 * municipality can tell each person their IDs) and in --json. */
#include "config.h"

#include <string.h>

#include "admin_import_int.h"
#include "termsafe.h"

/* Words of the outcomes. */
#define IMPORT_IMPORTED "imported"
#define IMPORT_EXISTS "exists"
#define IMPORT_INVALID "invalid"

/* One field of the --output file, quoted when RFC 4180 needs it. */
static void
import_csv_field(FILE *f, const char *s, bool last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, f);
	else {
		fputc('"', f);
		for (; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputs(last ? "\r\n" : ",", f);
}

/* Begin the outputs. */
void
import_report_begin(struct import_run *run)
{
	bool oss = run->cfg->profile == PROFILE_OSS;

	if (run->out != NULL) {
		import_csv_field(run->out, "line", false);
		import_csv_field(run->out, "status", false);
		import_csv_field(run->out, "user_id", false);
		if (oss)
			import_csv_field(run->out, "bulk_user_id", false);
		import_csv_field(run->out, "email", false);
		import_csv_field(run->out, "name", false);
		import_csv_field(run->out, "key_mailed", false);
		import_csv_field(run->out, "field", false);
		import_csv_field(run->out, "error", true);
	}
	if (run->json != NULL) {
		admin_json_begin(run->json, stdout, false);
		admin_json_list_begin(run->json, "results");
	}
}

/* What a row is called in reports. */
struct import_said {
	const char *status;
	const char *user_id;
	const char *bulk_user_id;
	const char *email;
	const char *name;
	bool keyed;
	char error[256];
};

/* Gather what is said of a row. */
static void
import_said(const struct import_row *row, const struct store_import_user *u,
    struct import_said *s)
{
	memset(s, 0, sizeof *s);
	if (!row->valid) {
		s->status = IMPORT_INVALID;
		s->user_id = row->value[COL_USER_ID];
		s->email = row->value[COL_EMAIL];
		s->name = row->value[COL_NAME] != NULL ? row->value[COL_NAME] :
		    row->value[COL_NAME_LATIN];
		snprintf(s->error, sizeof s->error, "%s: %s",
		    errcode_name(row->rule), row->message);
		return;
	}
	s->status = u->outcome == STORE_IMPORT_ADDED ? IMPORT_IMPORTED :
	    IMPORT_EXISTS;
	s->user_id = u->user_id;
	s->bulk_user_id = u->bulk_user_id[0] != '\0' ? u->bulk_user_id : NULL;
	s->email = u->u.email;
	s->name = u->u.name;
	s->keyed = u->outcome == STORE_IMPORT_ADDED && u->key != NULL;
}

/* The row on the terminal. */
static void
import_report_terminal(const struct import_run *run,
    const struct import_row *row, const struct import_said *s)
{
	enum profile profile = run->cfg->profile;
	bool issued = profile != PROFILE_LGPOS;

	if (!row->valid) {
		fprintf(stderr, "madoguchid: line %ld: ", row->line);
		if (row->field != NULL)
			fprintf(stderr, "%s: ", row->field);
		fprintf(stderr, "%s (%s); skipped\n", row->message,
		    errcode_name(row->rule));
	} else if (strcmp(s->status, IMPORT_EXISTS) == 0) {
		fprintf(stderr, "madoguchid: line %ld: ", row->line);
		/* With issued IDs a row is known by its address and name
		 * (store_import.h). */
		fputs(profile == PROFILE_IMMIGRATION ? "the same address and "
		    "Latin name are user " : issued ? "the same address and "
		    "name are user " : "user ", stderr);
		termsafe_print(stderr, s->user_id);
		fputs(" already; skipped\n", stderr);
	} else if (issued && run->out == NULL && run->json == NULL) {
		/* The IDs issued: a line each, as user-list prints. */
		printf("%ld\t", row->line);
		termsafe_print(stdout, s->user_id);
		if (s->bulk_user_id != NULL) {
			putchar('\t');
			termsafe_print(stdout, s->bulk_user_id);
		}
		putchar('\t');
		termsafe_print(stdout, s->email);
		putchar('\n');
	}
}

/* The row in the --output file. */
static void
import_report_file(const struct import_run *run, const struct import_row *row,
    const struct import_said *s)
{
	char line[24];

	snprintf(line, sizeof line, "%ld", row->line);
	import_csv_field(run->out, line, false);
	import_csv_field(run->out, s->status, false);
	import_csv_field(run->out, s->user_id, false);
	if (run->cfg->profile == PROFILE_OSS)
		import_csv_field(run->out, s->bulk_user_id, false);
	import_csv_field(run->out, s->email, false);
	import_csv_field(run->out, s->name, false);
	import_csv_field(run->out, s->keyed ? "yes" : "no", false);
	import_csv_field(run->out, row->valid ? NULL : row->field, false);
	import_csv_field(run->out, row->valid ? NULL : s->error, true);
}

/* The row in --json. */
static void
import_report_json(const struct import_run *run, const struct import_row *row,
    const struct import_said *s)
{
	struct admin_json *j = run->json;

	admin_json_row_begin(j);
	admin_json_int(j, "line", row->line);
	admin_json_str(j, "status", s->status);
	admin_json_str(j, "user_id", s->user_id);
	if (run->cfg->profile == PROFILE_OSS)
		admin_json_str(j, "bulk_user_id", s->bulk_user_id);
	admin_json_str(j, "email", s->email);
	admin_json_bool(j, "key_mailed", s->keyed);
	admin_json_str(j, "field", row->valid ? NULL : row->field);
	admin_json_str(j, "rule", row->valid ? NULL :
	    errcode_name(row->rule));
	admin_json_str(j, "message", row->valid ? NULL : row->message);
	admin_json_row_end(j);
}

/* Say what became of a row, and count it. */
void
import_report_row(struct import_run *run, const struct import_row *row,
    const struct store_import_user *user)
{
	struct import_said s;

	import_said(row, user, &s);
	if (!row->valid)
		run->invalid++;
	else if (strcmp(s.status, IMPORT_EXISTS) == 0)
		run->existing++;
	else {
		run->imported++;
		if (s.keyed)
			run->keys++;
	}
	import_report_terminal(run, row, &s);
	if (run->out != NULL)
		import_report_file(run, row, &s);
	if (run->json != NULL)
		import_report_json(run, row, &s);
}

/* End the outputs with the counts. */
void
import_report_end(struct import_run *run, double seconds,
    const char *stopped)
{
	double rate = seconds > 0 ? (double)run->read / seconds : 0;

	if (run->json != NULL) {
		struct admin_json *j = run->json;

		admin_json_list_end(j);
		admin_json_int(j, "read", run->read);
		admin_json_int(j, "imported", run->imported);
		admin_json_int(j, "existing", run->existing);
		admin_json_int(j, "invalid", run->invalid);
		admin_json_int(j, "keys_mailed", run->keys);
		admin_json_real(j, "seconds", seconds);
		admin_json_real(j, "rows_per_second", rate);
		admin_json_bool(j, "complete", stopped == NULL);
		admin_json_str(j, "stopped", stopped);
		admin_json_end(j, false);
	} else
		printf("madoguchid: %ld rows read: %ld imported (%ld with a "
		    "mailed key), %ld already there, %ld refused; %.1f s, "
		    "%.0f rows a second\n", run->read, run->imported,
		    run->keys, run->existing, run->invalid, seconds, rate);
	if (stopped != NULL)
		fprintf(stderr, "madoguchid: stopped: %s%s\n", stopped,
		    run->read > 0 ? "; the rows before are imported, and a "
		    "run again skips them" : "");
}
