/* The screen engine's main loop and which key goes where. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "action.h"
#include "curses-wrap.h"
#include "dialogkey.h"
#include "editkey.h"
#include "form.h"
#include "load.h"
#include "nav.h"
#include "scene.h"
#include "state.h"
#include "tablekey.h"
#include "timers.h"
#include "tty.h"

/* How long the main loop waits for a key before looking at signals. */
#define ENGINE_KEY_TIMEOUT_MS 150

static void engine_key(struct engine *, const struct input_event *);

/* Keys that arrived together (input.h INPUT_BURST) are refused as a
 * whole only by a field that must be typed; everywhere else they are
 * what they were, keys typed one after another. */
static bool
engine_replay(struct engine *e, const struct input_event *ev)
{
	struct view *v = state_top(e);
	const char *p = ev->paste;
	struct input_event one;
	mbstate_t st;
	size_t len;
	wchar_t wc;

	if (e->dialog.kind == DIALOG_NONE && v->focus >= 0 &&
	    form_typed(&v->sc->item[v->focus]) &&
	    v->sc->item[v->focus].nopaste)
		return false;
	memset(&st, 0, sizeof st);
	while (*p != '\0' && (len = mbrtowc(&wc, p, strlen(p), &st)) != 0 &&
	    len != (size_t)-1 && len != (size_t)-2) {
		memset(&one, 0, sizeof one);
		one.kind = INPUT_CHAR;
		one.ch = wc;
		engine_key(e, &one);
		p += len;
	}
	return true;
}

/* Keys every screen takes before its items see them; true if taken. */
static bool
engine_global_key(struct engine *e, const struct input_event *ev, int k,
    wchar_t c)
{
	struct view *v = state_top(e);

	if (ev->kind == INPUT_CHAR && c == INPUT_CTRL('c')) {
		/* A kiosk has no way out to a shell: ^C (like ^Z and ^\,
		 * which raw mode makes plain keys) does nothing. */
		if (!e->kiosk.on)
			e->quit = true;
		return true;
	}
	if (e->kiosk.on && e->kiosk.staff_code != NULL &&
	    (k == KEY_F(12) || c == INPUT_CTRL('x'))) {
		dialog_open(&e->dialog, DIALOG_STAFF_EXIT, 0);
		return true;
	}
	if (draw_too_small() || ev->kind == INPUT_NONE ||
	    ev->kind == INPUT_RESIZE)
		return true;
	if (k == KEY_F(2) || c == INPUT_CTRL('g')) {
		nav_language(e);
		return true;
	}
	if (k == KEY_NPAGE || k == KEY_PPAGE || c == INPUT_CTRL('n') ||
	    c == INPUT_CTRL('p')) {
		/* Long text (the terms, R2) is read page by page; the
		 * next Tab brings the focus back into sight. */
		int page = LINES - 6 > 1 ? LINES - 6 : 1;

		v->top += (k == KEY_NPAGE || c == INPUT_CTRL('n')) ? page :
		    -page;
		if (v->top < 0)
			v->top = 0;
		v->scrolled = true;
		return true;
	}
	if (k == KEY_F(1) || c == INPUT_CTRL('o')) {
		dialog_open(&e->dialog, DIALOG_HELP, 0);
		return true;
	}
	if (c == INPUT_ESC) {
		nav_back(e);
		return true;
	}
	return false;
}

/* One event. */
static void
engine_key(struct engine *e, const struct input_event *ev)
{
	struct view *v = state_top(e);
	const struct sf_item *it = v->focus >= 0 ? &v->sc->item[v->focus] :
	    NULL;
	int k = ev->kind == INPUT_KEY ? ev->key : -1;
	wchar_t c = ev->kind == INPUT_CHAR ? ev->ch : 0;

	if (ev->kind == INPUT_PASTE && ev->typed && engine_replay(e, ev))
		return;
	if (ev->kind != INPUT_NONE && ev->kind != INPUT_RESIZE)
		e->last_input = session_clock();
	if (ev->kind == INPUT_CHAR && c == INPUT_CTRL('l')) {
		scene_redraw(e);
		return;
	}
	if (e->dialog.kind != DIALOG_NONE) {
		dialogkey(e, ev);
		return;
	}
	if (engine_global_key(e, ev, k, c))
		return;
	if (c == L'\t' || (k == KEY_DOWN && (it == NULL ||
	    it->kind != SF_TABLE))) {
		form_step(e, 1);
		return;
	}
	if (k == KEY_BTAB || (k == KEY_UP && (it == NULL ||
	    it->kind != SF_TABLE))) {
		form_step(e, -1);
		return;
	}
	if (it == NULL)
		return;
	if (it->kind == SF_TABLE) {
		if (!tablekey(e, it, k, c) && (k == KEY_DOWN || k == KEY_UP))
			form_step(e, k == KEY_DOWN ? 1 : -1);
		return;
	}
	if (it->kind == SF_BUTTON) {
		if (c == L'\r' || c == L'\n' || c == L' ' || k == KEY_ENTER)
			action_activate(e, v->focus);
		return;
	}
	if (it->fkind == SF_FIELD_TOGGLE && c == L' ') {
		struct fieldval *fv = store_get(e->store, v->sc->id, it->name);

		fv->on = !fv->on;
		return;
	}
	if (c == L'\r' || c == L'\n' || k == KEY_ENTER) {
		action_enter_field(e);
		return;
	}
	editkey(e, ev);
}

/* Home was shown since the last round: load what it shows (notices).
 * A failure is shown once and does not load again. */
static void
engine_home_data(struct engine *e)
{
	if (!e->home_pending || e->quit)
		return;
	e->home_pending = false;
	if (e->depth == 1)
		nav_enter(e, false);
	e->home_pending = false;
}

/* Run until the person quits. */
int
engine_run(struct engine *e)
{
	struct input_event ev;

	e->ph.sess = e->sess;
	e->ph.set = e->set;
	e->ph.store = e->store;
	e->depth = 1;
	e->stack[0].sc = NULL;
	state_home(e);
	/* Home from its screen file at once, before the service is asked
	 * anything: what the service says fills it in as it arrives. */
	e->busy = true;
	scene_paint(e);
	e->typeahead = true;
	load_info(e);
	e->typeahead = false;
	e->last_input = session_clock();
	engine_home_data(e);
	scene_paint(e);
	while (!e->quit && !tty_quit_requested()) {
		/* Keys typed while data was loading come first, in order. */
		if (e->nahead > 0) {
			ev = e->ahead[0];
			memmove(&e->ahead[0], &e->ahead[1],
			    --e->nahead * sizeof e->ahead[0]);
		} else
			input_read(&ev, ENGINE_KEY_TIMEOUT_MS);
		if (ev.kind == INPUT_NONE) {
			if (timers_check(e) && !e->quit)
				scene_paint(e);
			continue;
		}
		engine_key(e, &ev);
		input_free(&ev);
		timers_check(e);
		engine_home_data(e);
		if (!e->quit)
			scene_paint(e);
	}
	for (size_t i = 0; i < e->nahead; i++)
		input_free(&e->ahead[i]);
	e->nahead = 0;
	dialog_close(&e->dialog);
	draw_free(&e->frame);
	return 0;
}
