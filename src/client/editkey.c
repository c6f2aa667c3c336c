/* Editing keys on a field. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses-wrap.h"
#include "editkey.h"
#include "form.h"
#include "state.h"

/* Say that a field is full. */
static void
editkey_too_long(struct fieldval *fv, const struct sf_item *it)
{
	fv->err = ERR_TOO_LONG;
	fv->params.min = 0;
	fv->params.max = it->max;
}

/* Keys on a choice: Left/Right (and Space, forward) move the answer;
 * nothing can be typed into it.  The answer is kept as its value. */
static bool
editkey_choose(struct fieldval *fv, const struct sf_item *it, int k,
    wchar_t c)
{
	char *val = editbuf_utf8(&fv->eb);
	int cur = -1, n = (int)it->nopt, to;

	for (int o = 0; o < n; o++) {
		if (strcmp(val, it->opt[o].value) == 0)
			cur = o;
	}
	free(val);
	if (k == KEY_RIGHT || c == L' ')
		to = cur + 1 >= n ? 0 : cur + 1;
	else if (k == KEY_LEFT)
		to = cur <= 0 ? n - 1 : cur - 1;
	else
		return true;
	editbuf_set_utf8(&fv->eb, it->opt[to].value);
	fv->err = ERR_NONE;
	return true;
}

/* A paste (or keys that came faster than anyone types) into a field. */
static bool
editkey_paste(struct fieldval *fv, const struct sf_item *it,
    const struct input_event *ev)
{
	/* A refusal is the field's own error, shown at once beside it and
	 * on the message line whatever the field showed before (an
	 * earlier "required"), until the next key that changes it. */
	if (it->nopaste) {
		fv->err = ev->typed ? ERR_TYPED_TOO_FAST : ERR_NO_PASTE;
		memset(&fv->params, 0, sizeof fv->params);
		return true;
	}
	fv->err = ERR_NONE;
	if (it->digits && ev->paste[strspn(ev->paste, "0123456789")] != '\0') {
		fv->err = ERR_DIGITS_ONLY;
		memset(&fv->params, 0, sizeof fv->params);
		return true;
	}
	if (!editbuf_insert_utf8(&fv->eb, ev->paste))
		editkey_too_long(fv, it);
	return true;
}

bool
editkey(struct engine *e, const struct input_event *ev)
{
	struct view *v = state_top(e);
	const struct sf_item *it;
	struct fieldval *fv;
	struct editbuf *eb;
	int k = ev->kind == INPUT_KEY ? ev->key : -1;
	wchar_t c = ev->kind == INPUT_CHAR ? ev->ch : 0;

	if (v->focus < 0 || !form_typed(&v->sc->item[v->focus]))
		return false;
	it = &v->sc->item[v->focus];
	fv = store_get(e->store, v->sc->id, it->name);
	eb = &fv->eb;
	if (it->fkind == SF_FIELD_CHOICE)
		return editkey_choose(fv, it, k, c);
	/* Read-only (003 §3 step 6: the address is shown, not edited): the
	 * cursor may rest on it to be read, nothing changes it. */
	if (it->fkind == SF_FIELD_READONLY)
		return ev->kind == INPUT_CHAR || ev->kind == INPUT_PASTE ||
		    k == KEY_BACKSPACE || k == KEY_DC;
	eb->limit = it->max > 0 ? (size_t)it->max : 1024;
	if (ev->kind == INPUT_PASTE)
		return editkey_paste(fv, it, ev);
	if (k == KEY_LEFT || c == INPUT_CTRL('b'))
		editbuf_left(eb);
	else if (k == KEY_RIGHT || c == INPUT_CTRL('f'))
		editbuf_right(eb);
	else if (k == KEY_HOME || c == INPUT_CTRL('a'))
		editbuf_home(eb);
	else if (k == KEY_END || k == KEY_LL || c == INPUT_CTRL('e'))
		editbuf_end(eb);
	else if (k == KEY_BACKSPACE || c == INPUT_DEL || c == INPUT_CTRL('h')) {
		if (editbuf_backspace(eb))
			fv->err = ERR_NONE;
	} else if (k == KEY_DC || c == INPUT_CTRL('d')) {
		if (editbuf_delete(eb))
			fv->err = ERR_NONE;
	} else if (c == INPUT_CTRL('u')) {
		editbuf_clear(eb);
		fv->err = ERR_NONE;
	} else if (ev->kind == INPUT_CHAR && c >= 0x20 && c != INPUT_DEL &&
	    it->digits && (c < L'0' || c > L'9')) {
		/* 003 §6.3: phone numbers without hyphens, digits only. */
		fv->err = ERR_DIGITS_ONLY;
		memset(&fv->params, 0, sizeof fv->params);
	} else if (ev->kind == INPUT_CHAR && c >= 0x20 && c != INPUT_DEL) {
		if (editbuf_insert(eb, c))
			fv->err = ERR_NONE;
		else if (eb->len >= eb->limit)
			editkey_too_long(fv, it);
	} else
		return false;
	return true;
}
