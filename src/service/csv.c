/* RFC 4180 records, read one character at a time. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "xmalloc.h"

struct csv {
	FILE *f;
	long line;		/* the line the next character is on */
	long long offset;	/* bytes read */
	int back[4];		/* characters to read again, last first */
	int nback;
	char *buf;		/* the record's fields, each NUL-ended */
	size_t len, cap;
	size_t data;		/* bytes of the record, separators too */
	size_t *starts;		/* where each field begins in buf */
	char **fields;
	size_t nfields, fcap;
};

/* The next character, or EOF. */
static int
csv_getc(struct csv *c)
{
	int ch;

	if (c->nback > 0)
		return c->back[--c->nback];
	if ((ch = getc(c->f)) != EOF)
		c->offset++;
	if (ch == '\n')
		c->line++;
	return ch;
}

/* Read ch again next (it was counted when first read). */
static void
csv_ungetc(struct csv *c, int ch)
{
	if (ch != EOF && c->nback < 4)
		c->back[c->nback++] = ch;
}

/* A reader of f. */
struct csv *
csv_new(FILE *f)
{
	static const int bom[] = { 0xef, 0xbb, 0xbf };
	struct csv *c = xcalloc(1, sizeof *c);
	int got[3], n;

	c->f = f;
	c->line = 1;
	/* A byte-order mark, as spreadsheets write UTF-8: skipped;
	 * anything else is read again as data. */
	for (n = 0; n < 3 && (got[n] = csv_getc(c)) == bom[n]; n++)
		;
	if (n < 3) {
		/* got[n] is the first byte that did not match. */
		if (got[n] != EOF)
			n++;
		while (n > 0)
			csv_ungetc(c, got[--n]);
	}
	return c;
}

/* Free the reader. */
void
csv_free(struct csv *c)
{
	if (c == NULL)
		return;
	free(c->buf);
	free(c->starts);
	free(c->fields);
	free(c);
}

/* Bytes read so far. */
long long
csv_offset(const struct csv *c)
{
	return c->offset;
}

/* Append a byte to the buffer. */
static void
csv_append(struct csv *c, char ch)
{
	if (c->len + 1 >= c->cap) {
		c->cap = c->cap == 0 ? 256 : c->cap * 2;
		c->buf = xreallocarray(c->buf, c->cap, 1);
	}
	c->buf[c->len++] = ch;
}

/* Count a byte of the record; false when the record is too long (then
 * nothing more of it is kept). */
static bool
csv_count(struct csv *c)
{
	if (c->data >= CSV_RECORD_MAX)
		return false;
	c->data++;
	return true;
}

/* Append a byte of a field; false when the record is too long. */
static bool
csv_put(struct csv *c, char ch)
{
	if (!csv_count(c))
		return false;
	csv_append(c, ch);
	return true;
}

/* End the current field. */
static void
csv_field_end(struct csv *c)
{
	csv_append(c, '\0');
}

/* Start a field at the current end of the buffer. */
static void
csv_field_start(struct csv *c)
{
	if (c->nfields == c->fcap) {
		c->fcap = c->fcap == 0 ? 16 : c->fcap * 2;
		c->starts = xreallocarray(c->starts, c->fcap,
		    sizeof *c->starts);
	}
	c->starts[c->nfields++] = c->len;
}

/* The first fault of a record. */
static void
csv_fault(const char **error, const char *why)
{
	if (*error == NULL)
		*error = why;
}

/* A line break: LF, or CR LF; a lone CR is data. */
static bool
csv_line_end(struct csv *c, int ch)
{
	int next;

	if (ch == '\n')
		return true;
	if (ch != '\r')
		return false;
	if ((next = csv_getc(c)) == '\n')
		return true;
	csv_ungetc(c, next);
	return false;
}

/* A field in quotes, from after its opening quote; the character after
 * its closing quote is left to read.  false at the end of the file. */
static bool
csv_quoted(struct csv *c, const char **error)
{
	for (;;) {
		int ch = csv_getc(c);

		if (ch == EOF) {
			csv_fault(error, "a quoted field is not closed");
			return false;
		}
		if (ch == '"') {
			if ((ch = csv_getc(c)) != '"') {
				csv_ungetc(c, ch);
				return true;
			}
		}
		if (ch == '\0')
			csv_fault(error, "a field holds a NUL byte");
		else if (!csv_put(c, (char)ch))
			csv_fault(error, "the record is longer than 65536 "
			    "bytes");
	}
}

/* Read one record's characters into fields; CSV_END when the file
 * ended before any. */
static enum csv_rc
csv_read(struct csv *c, const char **error)
{
	bool any = false, quoted_done = false;
	int ch;

	csv_field_start(c);
	for (;;) {
		ch = csv_getc(c);
		if (ch == EOF || csv_line_end(c, ch)) {
			csv_field_end(c);
			if (ch == EOF && ferror(c->f))
				return CSV_READ_ERROR;
			return any || ch != EOF ? CSV_RECORD : CSV_END;
		}
		any = true;
		if (ch == ',') {
			if (!csv_count(c)) {
				csv_fault(error, "the record is longer than "
				    "65536 bytes");
				continue;
			}
			csv_field_end(c);
			csv_field_start(c);
			quoted_done = false;
			continue;
		}
		if (ch == '"' && c->len == c->starts[c->nfields - 1] &&
		    !quoted_done) {
			if (!csv_quoted(c, error)) {
				csv_field_end(c);
				return CSV_RECORD;
			}
			quoted_done = true;
			continue;
		}
		if (quoted_done)
			csv_fault(error, "text after a closing quote");
		else if (ch == '"')
			csv_fault(error, "a quote inside a field that does "
			    "not start with one");
		if (ch == '\0')
			csv_fault(error, "a field holds a NUL byte");
		else if (!csv_put(c, (char)ch))
			csv_fault(error, "the record is longer than 65536 "
			    "bytes");
	}
}

/* The next record. */
enum csv_rc
csv_next(struct csv *c, struct csv_record *r)
{
	enum csv_rc rc;

	memset(r, 0, sizeof *r);
	for (;;) {
		c->len = 0;
		c->data = 0;
		c->nfields = 0;
		r->error = NULL;
		r->line = c->line;
		if ((rc = csv_read(c, &r->error)) != CSV_RECORD)
			return rc;
		/* An empty line is no record (RFC 4180 ends the file
		 * with one; people leave them between rows). */
		if (c->nfields > 1 || c->buf[0] != '\0' || r->error != NULL)
			break;
	}
	c->fields = xreallocarray(c->fields, c->nfields, sizeof *c->fields);
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->starts[i];
	r->fields = c->fields;
	r->n = c->nfields;
	return r->error != NULL ? CSV_BAD : CSV_RECORD;
}
