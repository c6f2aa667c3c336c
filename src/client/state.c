/* The stack of screens and the message line. */
#include "config.h"

#include <string.h>

#include "focus.h"
#include "state.h"

struct view *
state_top(struct engine *e)
{
	return &e->stack[e->depth - 1];
}

void
state_clear_message(struct engine *e)
{
	memset(&e->msg, 0, sizeof e->msg);
}

void
state_error(struct engine *e, enum errcode code,
    const struct errparams *params)
{
	state_clear_message(e);
	e->msg.code = code;
	if (params != NULL)
		e->msg.params = *params;
}

void
state_drop(struct engine *e, int new_depth, bool back)
{
	for (int d = new_depth; d < e->depth; d++) {
		if (!back && e->stack[d].finished)
			store_clear_screen(e->store, e->stack[d].sc->id);
		e->stack[d].finished = false;
	}
	e->depth = new_depth;
}

void
state_push(struct engine *e, const struct sf_screen *sc)
{
	if (e->depth == ENGINE_DEPTH) {
		if (e->stack[1].finished)
			store_clear_screen(e->store, e->stack[1].sc->id);
		memmove(&e->stack[1], &e->stack[2],
		    (ENGINE_DEPTH - 2) * sizeof e->stack[0]);
		e->depth--;
	}
	e->stack[e->depth].sc = sc;
	e->stack[e->depth].focus = focus_initial(e->sess, sc);
	e->stack[e->depth].top = 0;
	e->stack[e->depth].scrolled = false;
	e->stack[e->depth].finished = false;
	e->depth++;
}

void
state_forget(struct engine *e)
{
	store_clear(e->store);
	for (int d = 0; d < e->depth; d++) {
		if (e->stack[d].sc == NULL)
			continue;
		e->stack[d].focus = focus_first(e->sess, e->stack[d].sc);
		e->stack[d].top = 0;
		e->stack[d].scrolled = false;
		e->stack[d].finished = false;
	}
}

void
state_home(struct engine *e)
{
	const struct sf_screen *home = screenfile_find(e->set, "home");

	if (e->stack[0].sc != home) {
		e->stack[0].sc = home;
		e->stack[0].focus = focus_first(e->sess, home);
		e->stack[0].top = 0;
		e->stack[0].finished = false;
	}
	state_drop(e, 1, false);
	e->serial++;
	/* Its notices are loaded by the main loop, not here: going home is
	 * also how a failed load ends, and must not load again. */
	e->home_pending = true;
}

void
state_lost(struct engine *e, enum errcode code,
    const struct errparams *params)
{
	session_logout(e->sess);
	state_forget(e);
	state_home(e);
	state_error(e, code, params);
}
