/* Mail texts: every kind of docs/api.md "Mails", written from English
 * msgids through gettext in the language of the person it goes to. */
#ifndef MADOGUCHID_MAIL_RENDER_H
#define MADOGUCHID_MAIL_RENDER_H

#include "settings.h"

/* A rendered mail: UTF-8, LF line ends, no header syntax yet. */
struct mail_text {
	char *subject;
	char *body;
};

/* Set the process locale and bind the "madoguchi" catalogue, once at
 * start in main(): gettext ignores LANGUAGE under C/POSIX, and a fresh
 * Debian has only C.UTF-8 (STYLE.md, i18n facts). */
void mail_render_init(void);

/* Render a mail of this kind in lang (one of lang.h's codes; anything
 * else falls back to Japanese) from its params (a JSON object text).
 * 0, or -1 with *error (malloc'd; never holds a param's value) for an
 * unknown kind or a missing or unusable param. */
int mail_render(const struct settings *, const char *kind, const char *lang,
    const char *params_json, struct mail_text *out, char **error);

/* Release a rendered mail, wiping it (it may hold a code or key). */
void mail_text_clear(struct mail_text *);

#endif
