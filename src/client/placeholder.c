/* Filling a screen's {placeholders}. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lang.h"
#include "placeholder.h"
#include "xmalloc.h"

/* {form.SCREEN.FIELD}: what is typed or chosen there.  A choice shows
 * its answer's label; a password never shows. */
static const char *
placeholder_form(const struct placeholder_src *src, const char *key,
    char *buf, size_t bufsize)
{
	char scr[64];
	const char *dot = strchr(key, '.');
	const struct sf_screen *sc;
	const struct sf_item *it;
	struct fieldval *fv;
	char *v;
	int idx;

	if (dot == NULL || src->set == NULL || src->store == NULL ||
	    (size_t)(dot - key) >= sizeof scr)
		return NULL;
	memcpy(scr, key, (size_t)(dot - key));
	scr[dot - key] = '\0';
	if ((sc = screenfile_find(src->set, scr)) == NULL ||
	    (idx = screenfile_item(sc, dot + 1)) < 0)
		return NULL;
	it = &sc->item[idx];
	if (it->kind != SF_FIELD || it->fkind == SF_FIELD_PASSWORD)
		return NULL;
	fv = store_get(src->store, sc->id, it->name);
	if (it->fkind == SF_FIELD_TOGGLE) {
		/* L10N: a ticked or unticked box on a confirmation screen. */
		snprintf(buf, bufsize, "%s", fv->on ? _("Yes") : _("No"));
		return buf;
	}
	v = editbuf_utf8(&fv->eb);
	snprintf(buf, bufsize, "%s", v);
	free(v);
	for (size_t o = 0; o < it->nopt; o++) {
		if (strcmp(buf, it->opt[o].value) == 0) {
			const struct sf_text *t = &it->opt[o].text;

			snprintf(buf, bufsize, "%s", t->translate ?
			    lang_gettext(t->s) : t->s);
		}
	}
	return buf;
}

/* The value of one placeholder, or NULL if unknown. */
static const char *
placeholder_value(const struct placeholder_src *src, const char *key,
    size_t len, char *buf, size_t bufsize)
{
	const struct session *s = src->sess;

	if (len > 5 && strncmp(key, "form.", 5) == 0) {
		char name[160];

		if (len - 5 >= sizeof name)
			return NULL;
		memcpy(name, key + 5, len - 5);
		name[len - 5] = '\0';
		return placeholder_form(src, name, buf, bufsize);
	}
	if (len > 5 && strncmp(key, "vars.", 5) == 0)
		return session_formatn(s->vars, key + 5, len - 5, buf, bufsize);
	if (memchr(key, '.', len) != NULL)
		return session_formatn(s->info, key, len, buf, bufsize);
	if (len == 12 && strncmp(key, "service_name", len) == 0)
		/* L10N: shown as the service's name until the service has
		   answered /api/v1/info. */
		return s->service_name != NULL ? s->service_name :
		    _("the service");
	if (len == 7 && strncmp(key, "user_id", len) == 0)
		return s->user_id != NULL ? s->user_id : "";
	if (len == 4 && strncmp(key, "name", len) == 0)
		return s->name != NULL ? s->name : "";
	if (len == 7 && strncmp(key, "profile", len) == 0)
		return s->profile != NULL ? s->profile : "";
	return NULL;
}

char *
placeholder_fill(const struct placeholder_src *src, const char *text)
{
	size_t cap = strlen(text) + 1, n = 0;
	char *out = xmalloc(cap), buf[1024];

	for (const char *p = text; *p != '\0';) {
		const char *close, *val = NULL;
		size_t vlen;

		if (*p == '{' && (close = strchr(p + 1, '}')) != NULL)
			val = placeholder_value(src, p + 1,
			    (size_t)(close - p - 1), buf, sizeof buf);
		if (val == NULL) {
			if (n + 2 > cap)
				out = xreallocarray(out, cap *= 2, 1);
			out[n++] = *p++;
			continue;
		}
		vlen = strlen(val);
		while (n + vlen + 1 > cap)
			out = xreallocarray(out, cap *= 2, 1);
		memcpy(out + n, val, vlen);
		n += vlen;
		p = close + 1;
	}
	out[n] = '\0';
	return out;
}

bool
placeholder_known(const struct placeholder_src *src, const char *text)
{
	char buf[1024];

	for (const char *p = text; (p = strchr(p, '{')) != NULL; p++) {
		const char *close = strchr(p + 1, '}');

		if (close == NULL)
			break;
		if (placeholder_value(src, p + 1, (size_t)(close - p - 1), buf,
		    sizeof buf) == NULL)
			return false;
	}
	return true;
}
