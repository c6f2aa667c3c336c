/* Internals of user-import shared by its files only: admin_import.c
 * (the command, batches, progress), admin_import_row.c (a row's
 * checks) and admin_import_report.c (what is said of each row). */
#ifndef MADOGUCHID_ADMIN_IMPORT_INT_H
#define MADOGUCHID_ADMIN_IMPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "admin_json.h"
#include "settings.h"
#include "store_import.h"

/* The columns user-import knows; which a profile takes is in
 * admin_import_row.c. */
enum import_col {
	COL_USER_ID,
	COL_NAME,
	COL_EMAIL,
	COL_LANG,
	COL_KIND,
	COL_NAME_LATIN,
	COL_CATEGORY,
	COL_PASSWORD_HASH,
	COL_BULK_PASSWORD_HASH,
	COL__COUNT
};

/* Where each column is in the file's records; -1 when absent. */
struct import_header {
	int at[COL__COUNT];
	size_t width;		/* fields a record must have */
};

/* One row of the file as checked. */
struct import_row {
	long line;		/* the line its record began on */
	bool valid;
	/* Refused: the column (NULL: the record as a whole), the rule's
	 * code and an English description. */
	const char *field;
	enum errcode rule;
	char message[192];
	/* Copies of the record's fields (NULL: absent or empty). */
	char *value[COL__COUNT];
	char *key;		/* the mailed key, shown form; NULL: none */
	size_t user;		/* valid: its place in the batch's users */
};

/* Counts and outputs of a run. */
struct import_run {
	const struct settings *cfg;
	FILE *out;		/* --output, or NULL */
	struct admin_json *json;	/* --json, or NULL */
	long read, imported, existing, invalid, keys;
};

/* Map the header record to columns; 0, or -1 with the reason printed. */
int import_header_read(const struct settings *, char **fields, size_t n,
    struct import_header *);
/* Check a record (fields, n) begun on line into row, and when valid
 * fill *user for the store; the row keeps copies of what it needs. */
void import_row_check(const struct settings *, const struct import_header *,
    char **fields, size_t n, long line, struct import_row *row,
    struct store_import_user *user);
/* A record the reader refused (why) as a row. */
void import_row_bad(long line, const char *why, struct import_row *row);
/* Release a row's copies, wiping its hashes and key. */
void import_row_clear(struct import_row *);

/* Begin the outputs (the --output file's header, the JSON document). */
void import_report_begin(struct import_run *);
/* Say what became of a row (user: its store record, when valid). */
void import_report_row(struct import_run *, const struct import_row *,
    const struct store_import_user *user);
/* End the outputs with the counts; stopped: why the import ended early,
 * or NULL. */
void import_report_end(struct import_run *, double seconds,
    const char *stopped);

#endif
