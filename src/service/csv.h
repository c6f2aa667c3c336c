/* A reader of comma-separated values as RFC 4180 writes them (what
 * spreadsheets and databases export): fields in double quotes may hold
 * commas, line breaks and "" for a quote; records end with CRLF or LF.
 * user-import reads its file with it.  A malformed record is reported
 * with the line it began on and skipped; the reader goes on from the
 * end of it. */
#ifndef MADOGUCHID_CSV_H
#define MADOGUCHID_CSV_H

#include <stddef.h>
#include <stdio.h>

/* The longest record read, in bytes: a longer one is refused (an
 * unclosed quote must not take the file into memory). */
#define CSV_RECORD_MAX 65536

enum csv_rc {
	CSV_RECORD,		/* a record was read */
	CSV_BAD,		/* a malformed record, skipped: see error */
	CSV_END,		/* no more records */
	CSV_READ_ERROR		/* the file could not be read */
};

/* A record as read: fields valid until the next csv_next. */
struct csv_record {
	char **fields;
	size_t n;
	long line;		/* the line it began on, from 1 */
	const char *error;	/* CSV_BAD: why, a static English phrase */
};

struct csv;

/* A reader of f (not closed by csv_free).  A UTF-8 byte-order mark at
 * the start, which spreadsheets write, is skipped. */
struct csv *csv_new(FILE *f);
void csv_free(struct csv *);
/* The next record.  Lines that hold nothing are skipped. */
enum csv_rc csv_next(struct csv *, struct csv_record *);
/* Bytes read so far (for an estimate of what is left). */
long long csv_offset(const struct csv *);

#endif
