/* Display languages: locale set-up and run-time switching (003 §1.6). */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lang.h"

/* The eight languages of 003 §1.6, each named in its own script so a
 * person who reads only that language can find it. */
static const struct {
	const char *code;
	const char *own;
} lang_table[] = {
	{ "ja", "日本語" },
	{ "en", "English" },
	{ "zh_CN", "简体中文" },
	{ "zh_TW", "繁體中文" },
	{ "ko", "한국어" },
	{ "es", "Español" },
	{ "vi", "Tiếng Việt" },
	{ "tl", "Tagalog" },
};

#define LANG_COUNT (sizeof lang_table / sizeof lang_table[0])

/* Set the locale and bind the catalogue.  gettext ignores LANGUAGE under
 * the C or POSIX locale, and a fresh Debian has only C.UTF-8, so fall
 * back to that rather than run in C. */
void
lang_init(void)
{
	const char *loc = setlocale(LC_ALL, "");
	const char *dir = getenv("MADOGUCHI_LOCALEDIR");

	if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

/* Index of code in lang_table, or -1. */
static int
lang_index(const char *code)
{
	for (size_t i = 0; i < LANG_COUNT; i++) {
		if (strcmp(lang_table[i].code, code) == 0)
			return (int)i;
	}
	return -1;
}

/* True for one of the eight codes. */
bool
lang_valid(const char *code)
{
	return code != NULL && lang_index(code) >= 0;
}

/* The canonical copy of code. */
const char *
lang_code(const char *code)
{
	int i = lang_index(code);

	return i < 0 ? "ja" : lang_table[i].code;
}

/* Map a locale-style name ("zh_TW.UTF-8", "ko_KR", "fil") to a code. */
static const char *
lang_map(const char *v)
{
	char two[3];

	if (strncmp(v, "zh", 2) == 0) {
		if (strncmp(v, "zh_TW", 5) == 0 || strncmp(v, "zh_HK", 5) == 0)
			return "zh_TW";
		return "zh_CN";
	}
	if (strncmp(v, "fil", 3) == 0)
		return "tl";
	if (strlen(v) < 2)
		return NULL;
	two[0] = v[0];
	two[1] = v[1];
	two[2] = '\0';
	return lang_index(two) >= 0 ? lang_table[lang_index(two)].code : NULL;
}

/* The first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that names one of the
 * eight languages; "ja" when none does (the manuals' own language). */
const char *
lang_from_env(void)
{
	static const char *const vars[] = {
		"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"
	};

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]), *code;

		if (v == NULL || *v == '\0')
			continue;
		if ((code = lang_map(v)) != NULL)
			return code;
	}
	return "ja";
}

/* Switch the catalogue.  textdomain() again makes gettext drop the
 * catalogue it already loaded; without it the first language sticks. */
void
lang_set(const char *code)
{
	setenv("LANGUAGE", lang_code(code), 1);
	textdomain(PACKAGE);
}

/* A language's own name. */
const char *
lang_own_name(const char *code)
{
	int i = lang_index(code);

	return i < 0 ? code : lang_table[i].own;
}

/* See lang.h.  gettext returns the key itself when a catalogue lacks it;
 * for a C_() key that would show the context, so drop it. */
const char *
lang_gettext(const char *msgid)
{
	const char *t = gettext(msgid), *eot;

	if (t == msgid && (eot = strchr(msgid, '\004')) != NULL)
		return eot + 1;
	return t;
}
