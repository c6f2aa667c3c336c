/* The one place that decides how translatable text is marked.
 * Client and service include this, never <libintl.h> directly, so that
 * pgettext (C_) is always there: it lives in gettext.h, not in glibc. */
#ifndef MADOGUCHI_I18N_H
#define MADOGUCHI_I18N_H

#include "config.h"
#include "gettext.h"

#define _(s) gettext(s)
#define N_(s) gettext_noop(s)
#define C_(ctx, s) pgettext(ctx, s)

#endif
