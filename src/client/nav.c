/* Moving between screens. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "focus.h"
#include "form.h"
#include "load.h"
#include "nav.h"
#include "state.h"

void
nav_go(struct engine *e, const char *target)
{
	const struct sf_screen *sc, *from = state_top(e)->sc;
	struct message keep;
	char *expanded = NULL;
	bool fresh = false;

	keep = e->msg;
	state_clear_message(e);
	/* "reg_details_{vars.type}": the next screen depends on an answer. */
	if (strchr(target, '{') != NULL)
		target = expanded = placeholder_fill(&e->ph, target);
	if (strcmp(target, "previous") == 0) {
		if (e->depth > 1)
			state_drop(e, e->depth - 1, true);
	} else if ((sc = screenfile_find(e->set, target)) == NULL) {
		/* A target made from an answer that names no screen. */
		state_error(e, ERR_NOT_AVAILABLE, NULL);
	} else {
		int i;

		for (i = 0; i < e->depth; i++) {
			if (e->stack[i].sc == sc)
				break;
		}
		if (i < e->depth)
			state_drop(e, i + 1, false);
		else {
			state_push(e, sc);
			fresh = true;
		}
	}
	if (state_top(e)->sc->auth && !session_active(e->sess))
		state_home(e);
	else
		nav_enter(e, fresh);
	/* A person who cannot read an error switches language to read it:
	 * the message waits while the Language screen is open and comes
	 * back with the screen it was about, now in the new language. */
	if (strcmp(state_top(e)->sc->id, "language") == 0 &&
	    strcmp(from->id, "language") != 0)
		e->msg_kept = keep;
	else if (strcmp(from->id, "language") == 0 &&
	    strcmp(state_top(e)->sc->id, "language") != 0 &&
	    e->msg.code == ERR_NONE && e->msg.status == NULL) {
		e->msg = e->msg_kept;
		memset(&e->msg_kept, 0, sizeof e->msg_kept);
	}
	free(expanded);
}

/* The value= prefills of a fresh screen; true if any was made. */
static bool
nav_prefill(struct engine *e, const struct sf_screen *sc)
{
	bool prefilled = false;

	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];
		struct fieldval *fv;

		if (it->kind != SF_FIELD || it->value.s == NULL)
			continue;
		fv = store_get(e->store, sc->id, it->name);
		if (fv->eb.len == 0 && placeholder_known(&e->ph, it->value.s)) {
			char *val = placeholder_fill(&e->ph, it->value.s);

			editbuf_set_utf8(&fv->eb, val);
			free(val);
			prefilled = true;
		}
	}
	return prefilled;
}

void
nav_enter(struct engine *e, bool fresh)
{
	struct view *v = state_top(e);
	const struct sf_screen *sc = v->sc;
	bool prefilled, typeahead = e->typeahead;

	e->serial++;
	/* Loading what a screen shows is not sending a form: keys typed
	 * meanwhile (Enter on Log in...) are kept and used after. */
	e->typeahead = true;
	load_screen(e, sc);
	e->typeahead = typeahead;
	if (state_top(e)->sc != sc)
		return;
	/* What the screen loaded may hide or show items (if=vars...). */
	if (focus_settle(e->sess, sc, &v->focus))
		v->scrolled = false;
	if (!fresh)
		return;
	prefilled = nav_prefill(e, sc);
	/* A screen that arrives half filled in (A2: the user ID carried
	 * over) starts at the first thing left to type, when what would
	 * have had focus is already filled. */
	if (prefilled && v->focus >= 0 && (!form_typed(&sc->item[v->focus]) ||
	    store_get(e->store, sc->id, sc->item[v->focus].name)->eb.len == 0))
		prefilled = false;
	for (size_t i = 0; prefilled && i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];

		if (form_typed(it) && focus_can(e->sess, it) &&
		    it->fkind != SF_FIELD_CHOICE &&
		    store_get(e->store, sc->id, it->name)->eb.len == 0) {
			v->focus = (int)i;
			break;
		}
	}
}

void
nav_back(struct engine *e)
{
	const char *back = state_top(e)->sc->back;

	if (strcmp(back, "none") == 0)
		return;
	if (strcmp(back, "previous") == 0 && e->depth == 1)
		return;
	nav_go(e, back);
}

void
nav_language(struct engine *e)
{
	if (screenfile_find(e->set, "language") != NULL &&
	    strcmp(state_top(e)->sc->id, "language") != 0)
		nav_go(e, "language");
}
