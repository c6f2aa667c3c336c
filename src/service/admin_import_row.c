/* user-import: the header's columns and each row's checks, the rules of
 * user-add (newuser.h) plus the form of an imported password hash. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_import_int.h"
#include "auth.h"
#include "newuser.h"
#include "onetime.h"
#include "termsafe.h"
#include "xmalloc.h"

/* Profiles as bits. */
#define IN_LGPOS (1u << PROFILE_LGPOS)
#define IN_OSS (1u << PROFILE_OSS)
#define IN_IMMIGRATION (1u << PROFILE_IMMIGRATION)
#define IN_ALL (IN_LGPOS | IN_OSS | IN_IMMIGRATION)

/* Each column: its name in the header, the profiles that take it and
 * those that need it, as user-add takes and needs its options. */
static const struct {
	const char *name;
	unsigned in;
	unsigned required;
} import_cols[COL__COUNT] = {
	[COL_USER_ID] = { "user_id", IN_LGPOS, IN_LGPOS },
	[COL_NAME] = { "name", IN_ALL, IN_LGPOS | IN_OSS },
	[COL_EMAIL] = { "email", IN_ALL, IN_OSS | IN_IMMIGRATION },
	[COL_LANG] = { "lang", IN_ALL, 0 },
	[COL_KIND] = { "kind", IN_OSS, 0 },
	[COL_NAME_LATIN] = { "name_latin", IN_IMMIGRATION, IN_IMMIGRATION },
	[COL_CATEGORY] = { "category", IN_IMMIGRATION, IN_IMMIGRATION },
	[COL_PASSWORD_HASH] = { "password_hash", IN_ALL, 0 },
	[COL_BULK_PASSWORD_HASH] = { "bulk_password_hash", IN_OSS, 0 },
};

/* The columns a profile takes, for a message. */
static void
import_cols_print(unsigned bit)
{
	const char *sep = "";

	for (int c = 0; c < COL__COUNT; c++) {
		if (import_cols[c].in & bit) {
			fprintf(stderr, "%s%s%s", sep, import_cols[c].name,
			    import_cols[c].required & bit ? " (required)" :
			    "");
			sep = ", ";
		}
	}
	fputc('\n', stderr);
}

/* Map the header to columns. */
int
import_header_read(const struct settings *cfg, char **fields, size_t n,
    struct import_header *h)
{
	unsigned bit = 1u << cfg->profile;
	const char *profile = settings_profile_name(cfg->profile);

	for (int c = 0; c < COL__COUNT; c++)
		h->at[c] = -1;
	h->width = n;
	for (size_t i = 0; i < n; i++) {
		int c;

		for (c = 0; c < COL__COUNT; c++)
			if ((import_cols[c].in & bit) &&
			    strcmp(fields[i], import_cols[c].name) == 0)
				break;
		if (c == COL__COUNT || h->at[c] >= 0) {
			fputs(c == COL__COUNT ? "madoguchid: line 1: no "
			    "column \"" : "madoguchid: line 1: column \"",
			    stderr);
			termsafe_print(stderr, fields[i]);
			fprintf(stderr, c == COL__COUNT ? "\" in the %s "
			    "profile; its columns are: " : "\" twice; the %s "
			    "profile's columns are: ", profile);
			import_cols_print(bit);
			return -1;
		}
		h->at[c] = (int)i;
	}
	for (int c = 0; c < COL__COUNT; c++) {
		if ((import_cols[c].required & bit) && h->at[c] < 0) {
			fprintf(stderr, "madoguchid: line 1: the header has "
			    "no column \"%s\", which the %s profile needs; "
			    "its columns are: ", import_cols[c].name,
			    profile);
			import_cols_print(bit);
			return -1;
		}
	}
	return 0;
}

/* Refuse the row: field (NULL: the record), rule, and the English. */
static void
import_row_refuse(struct import_row *row, const char *field,
    enum errcode rule, const char *message)
{
	row->valid = false;
	row->field = field;
	row->rule = rule;
	snprintf(row->message, sizeof row->message, "%s", message);
}

/* A record the reader refused. */
void
import_row_bad(long line, const char *why, struct import_row *row)
{
	memset(row, 0, sizeof *row);
	row->line = line;
	import_row_refuse(row, NULL, ERR_BAD_FORMAT, why);
}

/* Copy the record's fields into the row: empty ones are absent.  false
 * with the row refused when a field is not UTF-8. */
static bool
import_row_copy(const struct import_header *h, char **fields,
    struct import_row *row)
{
	for (int c = 0; c < COL__COUNT; c++) {
		const char *v;

		if (h->at[c] < 0 || (v = fields[h->at[c]])[0] == '\0')
			continue;
		if (!utf8_valid(v, strlen(v))) {
			import_row_refuse(row, import_cols[c].name,
			    ERR_INVALID_ENCODING, "not valid UTF-8");
			return false;
		}
		row->value[c] = xstrdup(v);
	}
	return true;
}

/* newuser_check's refusal as the row's. */
static void
import_row_fault(const struct settings *cfg, const struct newuser_fault *f,
    struct import_row *row)
{
	char text[160];
	int c;

	for (c = 0; c < COL__COUNT; c++)
		if (strcmp(import_cols[c].name, f->field) == 0)
			break;
	if (f->v.code == ERR_BAD_FORMAT && c == COL_KIND)
		snprintf(text, sizeof text, "must be individual or "
		    "corporation");
	else if (f->v.code == ERR_BAD_FORMAT && c == COL_CATEGORY)
		snprintf(text, sizeof text, "must be one of "
		    "organisation_staff, attorney, foreign_national, "
		    "legal_representative");
	else if (f->v.code == ERR_BAD_FORMAT && c == COL_LANG)
		snprintf(text, sizeof text, "must be one of ja, en, zh_CN, "
		    "zh_TW, ko, es, vi, tl");
	else if (f->v.code == ERR_MISSING_FIELD)
		snprintf(text, sizeof text, "empty, and the %s profile needs "
		    "it", settings_profile_name(cfg->profile));
	else
		newuser_verdict_text(f->v, text, sizeof text);
	import_row_refuse(row, c < COL__COUNT ? import_cols[c].name :
	    f->field, f->v.code == ERR_MISSING_FIELD ? ERR_REQUIRED :
	    f->v.code, text);
}

/* A hash column: absent (AUTH_NO_PASSWORD), or a hash to keep; false
 * with the row refused when it is neither. */
static bool
import_row_hash(struct import_row *row, enum import_col c, char **out)
{
	const char *why;

	*out = AUTH_NO_PASSWORD;
	if (row->value[c] == NULL)
		return true;
	if (!auth_hash_importable(row->value[c], &why)) {
		import_row_refuse(row, import_cols[c].name, ERR_BAD_FORMAT,
		    why);
		return false;
	}
	*out = row->value[c];
	return true;
}

/* Without a password: a new key for the mail, and its seal. */
static void
import_row_key(const struct settings *cfg, struct import_row *row,
    struct store_import_user *user)
{
	char key[ONETIME_MAX], shown[ONETIME_SHOWN_MAX];

	onetime_new(CODE_KEY, cfg->limits.reset_key_length, key);
	onetime_shown(CODE_KEY, key, shown);
	onetime_seal(key, user->seal);
	row->key = xstrdup(shown);
	user->key = row->key;
	wipe(key, sizeof key);
	wipe(shown, sizeof shown);
}

/* Check a record into a row and, when valid, the store's user. */
void
import_row_check(const struct settings *cfg, const struct import_header *h,
    char **fields, size_t n, long line, struct import_row *row,
    struct store_import_user *user)
{
	struct newuser_fault fault;
	struct newuser nu;
	char **v = row->value;
	char *hash, *bulk_hash;

	memset(row, 0, sizeof *row);
	memset(user, 0, sizeof *user);
	row->line = line;
	if (n != h->width) {
		char text[96];

		snprintf(text, sizeof text, "%zu fields, but the header has "
		    "%zu", n, h->width);
		import_row_refuse(row, NULL, ERR_BAD_FORMAT, text);
		return;
	}
	if (!import_row_copy(h, fields, row))
		return;
	memset(&nu, 0, sizeof nu);
	nu.user_id = v[COL_USER_ID];
	nu.name = v[COL_NAME];
	nu.email = v[COL_EMAIL];
	nu.lang = v[COL_LANG];
	nu.kind = v[COL_KIND];
	nu.name_latin = v[COL_NAME_LATIN];
	nu.category = v[COL_CATEGORY];
	if (!newuser_check(cfg, &nu, &fault)) {
		import_row_fault(cfg, &fault, row);
		return;
	}
	if (!import_row_hash(row, COL_PASSWORD_HASH, &hash) ||
	    !import_row_hash(row, COL_BULK_PASSWORD_HASH, &bulk_hash))
		return;
	row->valid = true;
	/* As user-add stores them (admin.c). */
	user->u.user_id = (char *)nu.user_id;
	user->u.name = (char *)nu.name;
	user->u.email = (char *)nu.email;
	user->u.lang = (char *)nu.lang;
	user->u.password_hash = hash;
	if (cfg->profile == PROFILE_OSS) {
		user->u.kind = (char *)nu.kind;
		user->u.bulk_password_hash = bulk_hash;
	}
	if (cfg->profile == PROFILE_IMMIGRATION) {
		user->u.kind = (char *)nu.category;
		user->u.name_latin = (char *)nu.name_latin;
	}
	if (row->value[COL_PASSWORD_HASH] == NULL)
		import_row_key(cfg, row, user);
}

/* Release a row's copies. */
void
import_row_clear(struct import_row *row)
{
	for (int c = 0; c < COL__COUNT; c++) {
		if (row->value[c] == NULL)
			continue;
		if (c == COL_PASSWORD_HASH || c == COL_BULK_PASSWORD_HASH)
			free_secret(&row->value[c]);
		else
			free(row->value[c]);
	}
	if (row->key != NULL)
		free_secret(&row->key);
	memset(row, 0, sizeof *row);
}
