/* The display languages and switching between them at run time. */
#ifndef MADOGUCHI_LANG_H
#define MADOGUCHI_LANG_H

#include <stdbool.h>

/* Locale and catalogue set-up; call once before any _(). */
void lang_init(void);
/* True if code is one of the eight display languages. */
bool lang_valid(const char *code);
/* The language the environment asks for, or "ja". */
const char *lang_from_env(void);
/* Switch the catalogue; later _() calls answer in code. */
void lang_set(const char *code);
/* The translation of a screen file's text: msgid is a _() string or a
 * C_() one ("context\004string"), looked up as pgettext would. */
const char *lang_gettext(const char *msgid);
/* A language's name in its own script ("日本語"), or code. */
const char *lang_own_name(const char *code);
/* The canonical static copy of a valid code (for storing). */
const char *lang_code(const char *code);

#endif
