/* Buttons. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "form.h"
#include "lang.h"
#include "nav.h"
#include "request.h"
#include "state.h"
#include "theme.h"

/* The typed field a call sent as member (its send= or its name). */
static int
action_field_for(const struct sf_screen *form, const char *member)
{
	for (size_t i = 0; i < form->nitems; i++) {
		const struct sf_item *it = &form->item[i];

		if (form_typed(it) && strcmp(it->send != NULL ? it->send :
		    it->name, member) == 0)
			return (int)i;
	}
	return -1;
}

/* A call made from form succeeded and the next screen is shown.  A
 * finished form is not shown filled in again, unless Back from the next
 * screen leads to it: the address typed before the code step is still
 * there after "start again" (P5); it is wiped when a later step moves
 * on past it (state_drop). */
static void
action_finish_form(struct engine *e, const struct sf_screen *form)
{
	const struct view *top = state_top(e);

	if (e->depth >= 2 && e->stack[e->depth - 2].sc == form &&
	    top->sc != form && (strcmp(top->sc->back, "previous") == 0 ||
	    strcmp(top->sc->back, form->id) == 0))
		e->stack[e->depth - 2].finished = true;
	else
		store_clear_screen(e->store, form->id);
}

/* True if a button's fail=CODE:SCREEN names code. */
static bool
action_fail_matches(const char *fail, enum errcode code)
{
	const char *name = errcode_name(code);
	size_t n = strlen(name);

	return fail != NULL && strncmp(fail, name, n) == 0 && fail[n] == ':';
}

/* Run a button's API call and show its outcome. */
static void
action_call(struct engine *e, const struct sf_item *button)
{
	struct view *v = state_top(e);
	const struct sf_screen *sc = v->sc;
	struct apicall_env env;
	int idx;

	if (!form_check(e))
		return;
	state_clear_message(e);
	request_env(e, &env, sc->id);
	env.form = button->fields != NULL ?
	    screenfile_find(e->set, button->fields) : sc;
	env.with = button->with;
	env.auth = sc->auth;
	request_run(e, button->target, &env);
	if (env.err == ERR_NONE) {
		/* After a log-out nothing typed survives for the next
		 * person. */
		if (strcmp(button->target, "session.delete") == 0)
			state_forget(e);
		nav_go(e, button->next);
		if (strcmp(button->target, "session.delete") != 0)
			action_finish_form(e, env.form);
	} else if (action_fail_matches(button->fail, env.err)) {
		/* L3: an expired password leads to the change screen. */
		nav_go(e, strchr(button->fail, ':') + 1);
		state_error(e, env.err, &env.params);
	} else if (!session_active(e->sess) &&
	    (sc->auth || apicall_session_lost(env.err))) {
		/* 003 §2.6: the session is gone; start again from home. */
		state_forget(e);
		state_home(e);
		state_error(e, env.err, &env.params);
	} else if (env.field != NULL &&
	    (idx = action_field_for(env.form, env.field)) >= 0) {
		struct fieldval *fv = store_get(e->store, env.form->id,
		    env.form->item[idx].name);

		fv->err = env.err;
		fv->params = env.params;
		/* The error lands on its field, on the form's screen
		 * (from a confirmation screen, back to the input). */
		if (env.form != sc)
			nav_go(e, env.form->id);
		state_top(e)->focus = idx;
	} else
		state_error(e, env.err, &env.params);
	free(env.field);
}

/* keep=type:individual (R1): remembered for later screens. */
static void
action_keep(struct engine *e, const char *keep)
{
	const char *colon = strchr(keep, ':');
	char name[64];
	cJSON *obj = cJSON_CreateObject();

	snprintf(name, sizeof name, "%.*s", (int)(colon - keep), keep);
	cJSON_AddStringToObject(obj, name, colon + 1);
	session_keep(e->sess, obj);
	cJSON_Delete(obj);
}

/* 003 §1.6: the screen re-renders at once; values and focus live in the
 * store and the stack, so nothing is lost. */
static void
action_language(struct engine *e, const char *code)
{
	lang_set(code);
	e->sess->lang = lang_code(code);
	/* Rows of the old language mean nothing in the new one: each
	 * screen scrolls again just enough to show its focus, so a screen
	 * looks the same however often the language changed. */
	for (int d = 0; d < e->depth; d++) {
		e->stack[d].top = 0;
		e->stack[d].scrolled = false;
	}
	nav_go(e, "previous");
	if (session_active(e->sess)) {
		struct apicall_env env;

		request_env(e, &env, state_top(e)->sc->id);
		if (request_run(e, "session.lang", &env) != ERR_NONE)
			state_error(e, env.err, &env.params);
		free(env.field);
	}
}

void
action_activate(struct engine *e, int item)
{
	const struct sf_item *it = &state_top(e)->sc->item[item];

	/* R6, 001 step 9: "Register?" is asked once more, but only of a
	 * form that can be sent: asked first, a person would confirm and
	 * then learn that a field is missing. */
	if (it->confirm.s != NULL && !(e->dialog.kind == DIALOG_CONFIRM &&
	    e->dialog.item == item && e->confirmed)) {
		if ((it->action == SF_ACT_CALL ||
		    (it->action == SF_ACT_GOTO && it->validate)) &&
		    !form_check(e))
			return;
		dialog_open(&e->dialog, DIALOG_CONFIRM, 0);
		e->dialog.item = item;
		return;
	}
	dialog_close(&e->dialog);
	e->confirmed = false;
	if (it->keep != NULL)
		action_keep(e, it->keep);
	switch (it->action) {
	case SF_ACT_GOTO:
		/* "Confirm entries" (R5 → R6) checks the form first. */
		if (it->validate && !form_check(e))
			break;
		nav_go(e, it->target);
		break;
	case SF_ACT_QUIT:
		e->quit = true;
		break;
	case SF_ACT_LANG:
		action_language(e, it->target);
		break;
	case SF_ACT_SCHEME:
		/* 003 §1.5 ⑨: the colours change at once, on every screen. */
		theme_use(it->target);
		nav_go(e, "previous");
		break;
	case SF_ACT_CALL:
		action_call(e, it);
		break;
	case SF_ACT_NONE:
		break;
	}
}

void
action_enter_field(struct engine *e)
{
	struct view *v = state_top(e);
	const struct sf_screen *sc = v->sc;

	for (size_t j = (size_t)v->focus + 1; j < sc->nitems; j++) {
		if (form_typed(&sc->item[j])) {
			form_step(e, 1);
			return;
		}
	}
	for (size_t j = 0; j < sc->nitems; j++) {
		if (sc->item[j].kind == SF_BUTTON) {
			form_check_field(e, sc, v->focus, false);
			action_activate(e, (int)j);
			return;
		}
	}
	form_step(e, 1);
}
