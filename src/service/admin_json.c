/* JSON output of the admin commands. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_json.h"
#include "termsafe.h"

/* Remove "--json" arguments. */
bool
admin_json_take(int *argc, char **argv)
{
	bool found = false;
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--json") == 0)
			found = true;
		else
			argv[out++] = argv[i];
	}
	if (*argc > 0) {
		*argc = out;
		argv[out] = NULL;
	}
	return found;
}

/* Open the document. */
void
admin_json_begin(struct admin_json *j, FILE *f, bool list)
{
	j->f = f;
	j->first = true;
	j->in_row = false;
	fputc(list ? '[' : '{', f);
}

/* Close it. */
void
admin_json_end(struct admin_json *j, bool list)
{
	fputs(list ? "]\n" : "}\n", j->f);
}

/* Open one object of a list, one per line for a reader's sake. */
void
admin_json_row_begin(struct admin_json *j)
{
	fputs(j->first ? "\n{" : ",\n{", j->f);
	j->first = true;
	j->in_row = true;
}

/* Close it. */
void
admin_json_row_end(struct admin_json *j)
{
	fputc('}', j->f);
	j->in_row = false;
	/* The list now has an element: the next needs a comma. */
	j->first = false;
}

/* The separator and name of a member. */
static void
admin_json_name(struct admin_json *j, const char *name)
{
	char *key = termsafe_json(name);

	if (!j->first)
		fputs(", ", j->f);
	j->first = false;
	fprintf(j->f, "%s: ", key);
	free(key);
}

/* A member holding a list. */
void
admin_json_list_begin(struct admin_json *j, const char *name)
{
	admin_json_name(j, name);
	fputc('[', j->f);
	j->first = true;
}

/* Close it; the object goes on after it. */
void
admin_json_list_end(struct admin_json *j)
{
	fputc(']', j->f);
	j->first = false;
}

/* A text member. */
void
admin_json_str(struct admin_json *j, const char *name, const char *value)
{
	char *v;

	admin_json_name(j, name);
	if (value == NULL) {
		fputs("null", j->f);
		return;
	}
	v = termsafe_json(value);
	fputs(v, j->f);
	free(v);
}

/* An integer member. */
void
admin_json_int(struct admin_json *j, const char *name, long long value)
{
	admin_json_name(j, name);
	fprintf(j->f, "%lld", value);
}

/* A number member with a fraction. */
void
admin_json_real(struct admin_json *j, const char *name, double value)
{
	admin_json_name(j, name);
	fprintf(j->f, "%.3f", value);
}

/* A boolean member. */
void
admin_json_bool(struct admin_json *j, const char *name, bool value)
{
	admin_json_name(j, name);
	fputs(value ? "true" : "false", j->f);
}

/* A time member. */
void
admin_json_time(struct admin_json *j, const char *name, long long t)
{
	time_t tt = (time_t)t;
	char buf[32];
	struct tm tm;

	if (t < 0 || gmtime_r(&tt, &tm) == NULL) {
		admin_json_str(j, name, NULL);
		return;
	}
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	admin_json_str(j, name, buf);
}
