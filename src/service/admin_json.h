/* --json for the admin commands: for scripts, each command prints one
 * JSON document on stdout instead of its lines of text (a list command,
 * an array of objects; the others, one object).  Strings are escaped as
 * termsafe_json() does, so the JSON is as safe on a terminal as the
 * text.  Errors still go to stderr as text, with the same exit status. */
#ifndef MADOGUCHID_ADMIN_JSON_H
#define MADOGUCHID_ADMIN_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* Remove every "--json" before a "--" from argv (argv[0], the command's
 * name, is kept); true if there was one. */
bool admin_json_take(int *argc, char **argv);

/* A JSON object or array being written. */
struct admin_json {
	FILE *f;
	bool first;		/* no member or element written yet */
	bool in_row;		/* an object inside the array is open */
};

/* Open "{" (list false) or "[" (list true) on f. */
void admin_json_begin(struct admin_json *, FILE *f, bool list);
/* Close it and end the line. */
void admin_json_end(struct admin_json *, bool list);
/* In an object: a member holding a list, of objects opened and closed
 * with the row functions below. */
void admin_json_list_begin(struct admin_json *, const char *name);
void admin_json_list_end(struct admin_json *);
/* In a list: open and close one object. */
void admin_json_row_begin(struct admin_json *);
void admin_json_row_end(struct admin_json *);
/* A member: text (NULL: null), integer, boolean. */
void admin_json_str(struct admin_json *, const char *name, const char *value);
void admin_json_int(struct admin_json *, const char *name, long long value);
void admin_json_real(struct admin_json *, const char *name, double value);
void admin_json_bool(struct admin_json *, const char *name, bool value);
/* A member holding a time as UTC ISO 8601, or null when t < 0. */
void admin_json_time(struct admin_json *, const char *name, long long t);

#endif
