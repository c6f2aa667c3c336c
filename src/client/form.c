/* Checking a form's fields and moving its focus. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fieldcheck.h"
#include "focus.h"
#include "form.h"
#include "state.h"
#include "xmalloc.h"

bool
form_typed(const struct sf_item *it)
{
	return it->kind == SF_FIELD && it->fkind != SF_FIELD_TOGGLE;
}

/* An empty required field merely passed with Tab is not flagged as it is
 * left, so that a screen reader does not announce errors for fields
 * nobody has filled in yet. */
enum errcode
form_check_field(struct engine *e, const struct sf_screen *sc, int item,
    bool submit)
{
	const struct sf_item *it = &sc->item[item];
	struct fieldval *fv;
	struct errparams before_params;
	enum errcode before, verdict;
	char *value;

	if (it->cond != NULL && !session_cond(e->sess, it->cond))
		return ERR_NONE;
	if (it->kind == SF_FIELD && it->fkind == SF_FIELD_TOGGLE &&
	    fieldcheck_required(e->sess, it)) {
		/* R2: "I agree" must be ticked before going on. */
		fv = store_get(e->store, sc->id, it->name);
		verdict = fv->on ? ERR_NONE : ERR_REQUIRED;
		if (submit || verdict == ERR_NONE)
			fv->err = verdict;
		return verdict;
	}
	if (!form_typed(it))
		return ERR_NONE;
	fv = store_get(e->store, sc->id, it->name);
	before = fv->err;
	before_params = fv->params;
	value = editbuf_utf8(&fv->eb);
	fv->err = fieldcheck(it, value, e->sess, &fv->params);
	/* A confirmation must equal its field (000 ⑦, 003 §3). */
	if (fv->err == ERR_NONE && it->match != NULL && *value != '\0') {
		char *other = editbuf_utf8(&store_get(e->store, sc->id,
		    it->match)->eb);

		if (strcmp(value, other) != 0)
			fv->err = ERR_MISMATCH;
		wipe(other, strlen(other));
		free(other);
	}
	verdict = fv->err;
	if (!submit && verdict == ERR_REQUIRED) {
		/* Still empty: whatever it said before (nothing, or why a
		 * paste was refused) stands until the form is sent. */
		fv->err = before;
		fv->params = before_params;
	}
	wipe(value, strlen(value));
	free(value);
	return verdict;
}

bool
form_check(struct engine *e)
{
	struct view *v = state_top(e);
	int first = -1;

	for (size_t i = 0; i < v->sc->nitems; i++) {
		if (form_check_field(e, v->sc, (int)i, true) != ERR_NONE &&
		    first < 0)
			first = (int)i;
	}
	if (first >= 0)
		v->focus = first;
	return first < 0;
}

void
form_focus(struct engine *e, int to)
{
	struct view *v = state_top(e);

	if (to == v->focus || to < 0)
		return;
	if (v->focus >= 0)
		form_check_field(e, v->sc, v->focus, false);
	v->focus = to;
	v->scrolled = false;
}

void
form_step(struct engine *e, int dir)
{
	struct view *v = state_top(e);
	int n = (int)v->sc->nitems, i = v->focus;

	if (i < 0)
		return;
	for (int k = 0; k < n; k++) {
		i = (i + dir + n) % n;
		if (focus_can(e->sess, &v->sc->item[i])) {
			form_focus(e, i);
			return;
		}
	}
}
