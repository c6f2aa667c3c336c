/* The screen engine: navigation, focus, keys and actions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "apicall.h"
#include "curses-wrap.h"
#include "draw.h"
#include "engine.h"
#include "fieldcheck.h"
#include "focus.h"
#include "i18n.h"
#include "input.h"
#include "jsonutil.h"
#include "lang.h"
#include "paging.h"
#include "theme.h"
#include "tty.h"
#include "xmalloc.h"

/* How long the main loop waits for a key before looking at signals. */
#define ENGINE_KEY_TIMEOUT_MS 150

/* The view on top of the stack. */
struct view *
engine_top(struct engine *e)
{
	return &e->stack[e->depth - 1];
}

/* Paint the frame.  The focus first moves to the first item shown when
 * its own is not (nothing was focused yet, or a condition now hides it):
 * a screen reader must never be left on the message line. */
static void
engine_draw(struct engine *e)
{
	struct view *v = engine_top(e);

	if (focus_settle(e->sess, v->sc, &v->focus))
		v->scrolled = false;
	/* A dialog's frame may have cut a wide character beneath it in
	 * half; once it is gone, the whole screen is sent again rather
	 * than the cells curses believes changed. */
	if (e->dialog_drawn && e->dialog.kind == DIALOG_NONE)
		clearok(curscr, TRUE);
	e->dialog_drawn = e->dialog.kind != DIALOG_NONE;
	draw_frame(e);
}

/* Focusable and shown: a kiosk hides Quit, an if= may hide anything. */
static bool
engine_can_focus(const struct engine *e, const struct sf_item *it)
{
	return focus_can(e->sess, it);
}

/* A text or password field: something a person types into. */
static bool
engine_typed(const struct sf_item *it)
{
	return it->kind == SF_FIELD && it->fkind != SF_FIELD_TOGGLE;
}

/* Forget the message line. */
static void
engine_clear_message(struct engine *e)
{
	memset(&e->msg, 0, sizeof e->msg);
}

/* Put an error on the message line. */
static void
engine_error(struct engine *e, enum errcode code,
    const struct errparams *params)
{
	engine_clear_message(e);
	e->msg.code = code;
	if (params != NULL)
		e->msg.params = *params;
}

static void engine_enter(struct engine *, bool fresh);

/* Views above new_depth leave the stack.  A form finished by a call but
 * kept for Back (engine_call) is wiped when a step forward leaves it
 * behind ("Home" after registering); Back alone keeps what was typed
 * (P5). */
static void
engine_drop(struct engine *e, int new_depth, bool back)
{
	for (int d = new_depth; d < e->depth; d++) {
		if (!back && e->stack[d].finished)
			store_clear_screen(e->store, e->stack[d].sc->id);
		e->stack[d].finished = false;
	}
	e->depth = new_depth;
}

/* Nothing of the person stays (a log-out, a lost session, a kiosk
 * reset): every value is wiped, and each screen still on the stack
 * starts again at its first item, so that after a log-out Home is on
 * Log in for the next person. */
static void
engine_forget(struct engine *e)
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

/* Show home alone on the stack (the manuals' "go to the top page"). */
static void
engine_go_home(struct engine *e)
{
	const struct sf_screen *home = screenfile_find(e->set, "home");

	if (e->stack[0].sc != home) {
		e->stack[0].sc = home;
		e->stack[0].focus = focus_first(e->sess, home);
		e->stack[0].top = 0;
		e->stack[0].finished = false;
	}
	engine_drop(e, 1, false);
	/* Its notices are loaded by the main loop, not here: going home is
	 * also how a failed load ends, and must not load again. */
	e->home_pending = true;
}

/* Show a screen: "previous" pops; a screen already on the stack is
 * returned to as it was left; any other is pushed fresh.  A screen that
 * needs a logged-in person sends everyone else home. */
static void
engine_navigate(struct engine *e, const char *target)
{
	const struct sf_screen *sc, *from = engine_top(e)->sc;
	struct message keep;
	char *expanded = NULL;
	bool fresh = false;

	keep = e->msg;
	engine_clear_message(e);
	/* "reg_details_{vars.type}": the next screen depends on an answer. */
	if (strchr(target, '{') != NULL)
		target = expanded = session_expand(e->sess, target);
	if (strcmp(target, "previous") == 0) {
		if (e->depth > 1)
			engine_drop(e, e->depth - 1, true);
	} else if ((sc = screenfile_find(e->set, target)) == NULL) {
		/* A target made from an answer that names no screen. */
		engine_error(e, ERR_NOT_AVAILABLE, NULL);
	} else {
		int i;

		for (i = 0; i < e->depth; i++) {
			if (e->stack[i].sc == sc)
				break;
		}
		if (i < e->depth)
			engine_drop(e, i + 1, false);
		else {
			if (e->depth == ENGINE_DEPTH) {
				if (e->stack[1].finished)
					store_clear_screen(e->store,
					    e->stack[1].sc->id);
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
			fresh = true;
		}
	}
	if (engine_top(e)->sc->auth && !session_active(e->sess))
		engine_go_home(e);
	else
		engine_enter(e, fresh);
	/* A person who cannot read an error switches language to read it:
	 * the message waits while the Language screen is open and comes
	 * back with the screen it was about, now in the new language. */
	if (strcmp(engine_top(e)->sc->id, "language") == 0 &&
	    strcmp(from->id, "language") != 0)
		e->msg_kept = keep;
	else if (strcmp(from->id, "language") == 0 &&
	    strcmp(engine_top(e)->sc->id, "language") != 0 &&
	    e->msg.code == ERR_NONE && e->msg.status == NULL) {
		e->msg = e->msg_kept;
		memset(&e->msg_kept, 0, sizeof e->msg_kept);
	}
	free(expanded);
}

/* Check a typed field and record the verdict on its value.  On submit
 * every rule counts; as the person leaves a field (submit false) only
 * what they typed is judged: an empty required field merely passed
 * with Tab is not flagged, so that a screen reader does not announce
 * errors for fields nobody has filled in yet.  The verdict is returned
 * either way. */
static enum errcode
engine_check_field(struct engine *e, const struct sf_screen *sc, int item,
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
	    it->required) {
		/* R2: "I agree" must be ticked before going on. */
		fv = store_get(e->store, sc->id, it->name);
		verdict = fv->on ? ERR_NONE : ERR_REQUIRED;
		if (submit || verdict == ERR_NONE)
			fv->err = verdict;
		return verdict;
	}
	if (!engine_typed(it))
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

/* Move focus, checking the field being left (validation on leave). */
static void
engine_focus(struct engine *e, int to)
{
	struct view *v = engine_top(e);

	if (to == v->focus || to < 0)
		return;
	if (v->focus >= 0)
		engine_check_field(e, v->sc, v->focus, false);
	v->focus = to;
	v->scrolled = false;
}

/* Focus the next (dir 1) or previous (dir -1) focusable item, wrapping. */
static void
engine_focus_step(struct engine *e, int dir)
{
	struct view *v = engine_top(e);
	int n = (int)v->sc->nitems, i = v->focus;

	if (i < 0)
		return;
	for (int k = 0; k < n; k++) {
		i = (i + dir + n) % n;
		if (engine_can_focus(e, &v->sc->item[i])) {
			engine_focus(e, i);
			return;
		}
	}
}

/* Check every typed field before a call; focus the first in error. */
static bool
engine_check_form(struct engine *e)
{
	struct view *v = engine_top(e);
	int first = -1;

	for (size_t i = 0; i < v->sc->nitems; i++) {
		if (engine_check_field(e, v->sc, (int)i, true) != ERR_NONE &&
		    first < 0)
			first = (int)i;
	}
	if (first >= 0)
		v->focus = first;
	return first < 0;
}

/* Keep the screen alive while a request runs; true cancels it. */
static bool
engine_tick(void *ctx)
{
	struct engine *e = ctx;
	struct input_event ev;
	struct timespec ts;
	bool cancel = false;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	e->spin = (unsigned)(ts.tv_sec * 8 + ts.tv_nsec / 125000000);
	if (tty_quit_requested()) {
		e->quit = true;
		return true;
	}
	engine_draw(e);
	input_read(&ev, 0);
	if (ev.kind == INPUT_CHAR && ev.ch == INPUT_ESC)
		cancel = true;
	else if (ev.kind == INPUT_CHAR && ev.ch == INPUT_CTRL('c') &&
	    !e->kiosk.on) {
		e->quit = true;
		cancel = true;
	} else if (ev.kind == INPUT_CHAR && ev.ch == INPUT_CTRL('l'))
		clearok(curscr, TRUE);
	else if (e->typeahead && ev.kind != INPUT_NONE &&
	    e->nahead < ENGINE_TYPEAHEAD) {
		e->ahead[e->nahead++] = ev;
		return false;
	}
	/* Other keys are dropped: typing into a form being sent would
	 * change what the person sees from what was sent. */
	input_free(&ev);
	return cancel;
}

/* The rows a table holds now (its kept page's items), or NULL. */
static const cJSON *
engine_table_items(const struct engine *e, const struct sf_item *it)
{
	const cJSON *page = e->sess->vars != NULL ?
	    cJSON_GetObjectItemCaseSensitive(e->sess->vars, it->name) : NULL;

	return cJSON_GetObjectItemCaseSensitive(page, "items");
}

/* How many pages the table's last answer had (1 before any). */
static int
engine_table_pages(const struct engine *e, const struct sf_item *it)
{
	const cJSON *page = e->sess->vars != NULL ?
	    cJSON_GetObjectItemCaseSensitive(e->sess->vars, it->name) : NULL;
	struct paging pg;

	return paging_read(page, &pg) ? pg.pages : 1;
}

/* Ask the service for the page of a table that the person is on
 * (003 §5: page and page size chosen by the person). */
static void
engine_table_load(struct engine *e, const struct sf_screen *sc,
    const struct sf_item *it)
{
	struct fieldval *fv = store_get(e->store, sc->id, it->name);
	struct apicall_env env;
	struct paging pg;
	char *target, sizebuf[32];
	const char *size;

	if (fv->page < 1)
		fv->page = 1;
	if (fv->per_page < 1 && it->page_size != NULL) {
		size = strchr(it->page_size, '.') != NULL ?
		    session_format(e->sess->info, it->page_size, sizebuf,
		    sizeof sizebuf) : it->page_size;
		fv->per_page = size != NULL ? atoi(size) : 0;
	}
	if (fv->per_page > 0)
		xasprintf(&target, "%s%cpage=%d&per_page=%d", it->source,
		    strchr(it->source, '?') != NULL ? '&' : '?', fv->page,
		    fv->per_page);
	else
		xasprintf(&target, "%s%cpage=%d", it->source,
		    strchr(it->source, '?') != NULL ? '&' : '?', fv->page);
	memset(&env, 0, sizeof env);
	env.api = e->api;
	env.sess = e->sess;
	env.store = e->store;
	env.screen = sc->id;
	env.auth = sc->auth;
	env.keep_as = it->name;
	env.tick = engine_tick;
	env.tick_ctx = e;
	e->busy = true;
	apicall_run(target, &env);
	e->busy = false;
	free(target);
	if (env.err == ERR_NONE && !paging_read(cJSON_GetObjectItemCaseSensitive(
	    e->sess->vars, it->name), &pg)) {
		/* Numbers out of range or that do not add up: nothing of
		 * it is shown, and the person is told. */
		session_forget(e->sess, it->name);
		fv->row = 0;
		engine_error(e, ERR_NET_BAD_RESPONSE, NULL);
	} else if (env.err == ERR_NONE) {
		if (fv->row >= pg.nitems)
			fv->row = pg.nitems > 0 ? pg.nitems - 1 : 0;
	} else if (apicall_session_lost(env.err)) {
		session_logout(e->sess);
		engine_forget(e);
		engine_go_home(e);
		engine_error(e, env.err, &env.params);
	} else
		engine_error(e, env.err, &env.params);
	free(env.field);
}

/* Keys on a table: rows, pages, page size, opening a row.  False for a
 * key it does not take (Tab, or Up on the first row: focus moves). */
static bool
engine_table_key(struct engine *e, const struct sf_item *it, int k,
    wchar_t c)
{
	static const int sizes[] = { 10, 20, 50, 100 };
	struct view *v = engine_top(e);
	struct fieldval *fv = store_get(e->store, v->sc->id, it->name);
	const cJSON *items = engine_table_items(e, it);
	int n = cJSON_GetArraySize(items), pages = engine_table_pages(e, it);
	int page = fv->page;

	if (k == KEY_DOWN && fv->row + 1 < n) {
		fv->row++;
		return true;
	}
	if (k == KEY_UP && fv->row > 0) {
		fv->row--;
		return true;
	}
	if ((c == L'\r' || c == L'\n' || k == KEY_ENTER) && it->open != NULL &&
	    fv->row < n) {
		session_keep_as(e->sess, "row", cJSON_GetArrayItem(items,
		    fv->row));
		engine_navigate(e, it->open);
		return true;
	}
	if (it->nopager)
		return false;
	if (k == KEY_RIGHT && page < pages)
		page++;
	else if (k == KEY_LEFT && page > 1)
		page--;
	else if (k == KEY_HOME)
		page = 1;
	else if (k == KEY_END)
		page = pages > 0 ? pages : 1;
	else if (c >= L'1' && c <= L'9' && c - L'0' <= pages)
		page = c - L'0';
	else if (c == L'+' || c == L'-') {
		size_t i = 0;

		while (i + 1 < sizeof sizes / sizeof sizes[0] &&
		    sizes[i] < fv->per_page)
			i++;
		if (c == L'+' && i + 1 < sizeof sizes / sizeof sizes[0])
			i++;
		else if (c == L'-' && i > 0 && sizes[i] >= fv->per_page)
			i--;
		fv->per_page = sizes[i];
		fv->page = 1;
		fv->row = 0;
		/* A new request: what the last one met no longer holds. */
		engine_clear_message(e);
		engine_table_load(e, v->sc, it);
		return true;
	} else
		return k == KEY_RIGHT || k == KEY_LEFT;
	if (page != fv->page) {
		fv->page = page;
		fv->row = 0;
		engine_clear_message(e);
		engine_table_load(e, v->sc, it);
	}
	return true;
}

/* What a screen shows from the service: its `load` call, then each
 * table's page.  A lost session ends at home. */
static void
engine_enter_load(struct engine *e, const struct sf_screen *sc,
    struct apicall_env *env)
{
	if (sc->load != NULL) {
		memset(env, 0, sizeof *env);
		env->api = e->api;
		env->sess = e->sess;
		env->store = e->store;
		env->screen = sc->id;
		env->auth = sc->auth;
		env->tick = engine_tick;
		env->tick_ctx = e;
		e->busy = true;
		apicall_run(sc->load, env);
		e->busy = false;
		if (env->err != ERR_NONE && apicall_session_lost(env->err)) {
			session_logout(e->sess);
			engine_forget(e);
			engine_go_home(e);
			engine_error(e, env->err, &env->params);
			free(env->field);
			return;
		}
		if (env->err != ERR_NONE)
			engine_error(e, env->err, &env->params);
		free(env->field);
	}
	/* Each table's page; a failure that sent the person home stops. */
	for (size_t i = 0; i < sc->nitems && engine_top(e)->sc == sc; i++) {
		const struct sf_item *it = &sc->item[i];

		if (it->kind == SF_TABLE && (it->cond == NULL ||
		    session_cond(e->sess, it->cond)) &&
		    !(sc->auth && !session_active(e->sess)))
			engine_table_load(e, sc, it);
	}
}

/* A screen is shown: a fresh one gets its value= prefills; one with
 * `load` asks the service again each time (My page shows what is true
 * now, M1 "最新の情報に更新"). */
static void
engine_enter(struct engine *e, bool fresh)
{
	struct view *v = engine_top(e);
	const struct sf_screen *sc = v->sc;
	struct apicall_env env;
	bool prefilled = false, typeahead = e->typeahead;

	/* Loading what a screen shows is not sending a form: keys typed
	 * meanwhile (Enter on Log in...) are kept and used after. */
	e->typeahead = true;
	engine_enter_load(e, sc, &env);
	e->typeahead = typeahead;
	if (engine_top(e)->sc != sc)
		return;
	/* What the screen loaded may hide or show items (if=vars...). */
	if (focus_settle(e->sess, sc, &v->focus))
		v->scrolled = false;
	if (!fresh)
		return;
	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];
		struct fieldval *fv;

		if (it->kind != SF_FIELD || it->value.s == NULL)
			continue;
		fv = store_get(e->store, sc->id, it->name);
		if (fv->eb.len == 0 && session_resolves(e->sess, it->value.s)) {
			char *val = session_expand(e->sess, it->value.s);

			editbuf_set_utf8(&fv->eb, val);
			free(val);
			prefilled = true;
		}
	}
	/* A screen that arrives half filled in (A2: the user ID carried
	 * over) starts at the first thing left to type, when what would
	 * have had focus is already filled. */
	if (prefilled && v->focus >= 0 && (!engine_typed(&sc->item[v->focus]) ||
	    store_get(e->store, sc->id, sc->item[v->focus].name)->eb.len == 0))
		prefilled = false;
	for (size_t i = 0; prefilled && i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];

		if (engine_typed(it) && engine_can_focus(e, it) &&
		    it->fkind != SF_FIELD_CHOICE &&
		    store_get(e->store, sc->id, it->name)->eb.len == 0) {
			v->focus = (int)i;
			break;
		}
	}
}

/* The typed field a call sent as member (its send= or its name). */
static int
engine_field_for(const struct sf_screen *form, const char *member)
{
	for (size_t i = 0; i < form->nitems; i++) {
		const struct sf_item *it = &form->item[i];

		if (engine_typed(it) && strcmp(it->send != NULL ? it->send :
		    it->name, member) == 0)
			return (int)i;
	}
	return -1;
}

/* A call made from form succeeded and the next screen is shown.  A
 * finished form is not shown filled in again, unless Back from the next
 * screen leads to it: the address typed before the code step is still
 * there after "start again" (P5); it is wiped when a later step moves
 * on past it (engine_drop). */
static void
engine_finish_form(struct engine *e, const struct sf_screen *form)
{
	const struct view *top = engine_top(e);

	if (e->depth >= 2 && e->stack[e->depth - 2].sc == form &&
	    top->sc != form && (strcmp(top->sc->back, "previous") == 0 ||
	    strcmp(top->sc->back, form->id) == 0))
		e->stack[e->depth - 2].finished = true;
	else
		store_clear_screen(e->store, form->id);
}

/* Run a button's API call and show its outcome. */
static void
engine_call(struct engine *e, const struct sf_item *button)
{
	struct view *v = engine_top(e);
	const struct sf_screen *sc = v->sc;
	struct apicall_env env;
	int idx;

	if (!engine_check_form(e))
		return;
	engine_clear_message(e);
	memset(&env, 0, sizeof env);
	env.api = e->api;
	env.sess = e->sess;
	env.store = e->store;
	env.screen = sc->id;
	env.form = button->fields != NULL ?
	    screenfile_find(e->set, button->fields) : sc;
	env.with = button->with;
	env.auth = sc->auth;
	env.tick = engine_tick;
	env.tick_ctx = e;
	e->busy = true;
	apicall_run(button->target, &env);
	e->busy = false;
	if (env.err == ERR_NONE) {
		/* After a log-out nothing typed survives for the next
		 * person. */
		if (strcmp(button->target, "session.delete") == 0)
			engine_forget(e);
		engine_navigate(e, button->next);
		if (strcmp(button->target, "session.delete") != 0)
			engine_finish_form(e, env.form);
	} else if (button->fail != NULL && strncmp(button->fail,
	    errcode_name(env.err), strlen(errcode_name(env.err))) == 0 &&
	    button->fail[strlen(errcode_name(env.err))] == ':') {
		/* L3: an expired password leads to the change screen. */
		engine_navigate(e, strchr(button->fail, ':') + 1);
		engine_error(e, env.err, &env.params);
	} else if (!session_active(e->sess) &&
	    (sc->auth || apicall_session_lost(env.err))) {
		/* 003 §2.6: the session is gone; start again from home. */
		engine_forget(e);
		engine_go_home(e);
		engine_error(e, env.err, &env.params);
	} else if (env.field != NULL &&
	    (idx = engine_field_for(env.form, env.field)) >= 0) {
		struct fieldval *fv = store_get(e->store, env.form->id,
		    env.form->item[idx].name);

		fv->err = env.err;
		fv->params = env.params;
		/* The error lands on its field, on the form's screen
		 * (from a confirmation screen, back to the input). */
		if (env.form != sc)
			engine_navigate(e, env.form->id);
		engine_top(e)->focus = idx;
	} else
		engine_error(e, env.err, &env.params);
	free(env.field);
}

/* Do what a button says. */
static void
engine_activate(struct engine *e, int item)
{
	const struct sf_item *it = &engine_top(e)->sc->item[item];

	/* R6, 001 step 9: "Register?" is asked once more. */
	if (it->confirm.s != NULL && !(e->dialog.kind == DIALOG_CONFIRM &&
	    e->dialog.item == item && e->confirmed)) {
		dialog_open(&e->dialog, DIALOG_CONFIRM, 0);
		e->dialog.item = item;
		return;
	}
	dialog_close(&e->dialog);
	e->confirmed = false;
	if (it->keep != NULL) {
		/* keep=type:individual (R1): remembered for later screens. */
		const char *colon = strchr(it->keep, ':');
		char name[64];
		cJSON *obj = cJSON_CreateObject();

		snprintf(name, sizeof name, "%.*s", (int)(colon - it->keep),
		    it->keep);
		cJSON_AddStringToObject(obj, name, colon + 1);
		session_keep(e->sess, obj);
		cJSON_Delete(obj);
	}
	switch (it->action) {
	case SF_ACT_GOTO:
		/* "Confirm entries" (R5 → R6) checks the form first. */
		if (it->validate && !engine_check_form(e))
			break;
		engine_navigate(e, it->target);
		break;
	case SF_ACT_QUIT:
		e->quit = true;
		break;
	case SF_ACT_LANG:
		/* 003 §1.6: the screen re-renders at once; values and focus
		 * live in the store and the stack, so nothing is lost. */
		lang_set(it->target);
		e->sess->lang = lang_code(it->target);
		/* Rows of the old language mean nothing in the new one: each
		 * screen scrolls again just enough to show its focus, so a
		 * screen looks the same however often the language changed. */
		for (int d = 0; d <= e->depth; d++) {
			e->stack[d].top = 0;
			e->stack[d].scrolled = false;
		}
		engine_navigate(e, "previous");
		if (session_active(e->sess)) {
			struct apicall_env env;

			memset(&env, 0, sizeof env);
			env.api = e->api;
			env.sess = e->sess;
			env.store = e->store;
			env.screen = engine_top(e)->sc->id;
			env.tick = engine_tick;
			env.tick_ctx = e;
			e->busy = true;
			apicall_run("session.lang", &env);
			e->busy = false;
			if (env.err != ERR_NONE)
				engine_error(e, env.err, &env.params);
			free(env.field);
		}
		break;
	case SF_ACT_SCHEME:
		/* 003 §1.5 ⑨: the colours change at once, on every screen. */
		theme_use(it->target);
		engine_navigate(e, "previous");
		break;
	case SF_ACT_CALL:
		engine_call(e, it);
		break;
	case SF_ACT_NONE:
		break;
	}
}

/* Enter on a field: the next field, or on the last one the first button
 * (so a form is sent with Enter from its last field). */
static void
engine_enter_field(struct engine *e)
{
	struct view *v = engine_top(e);
	const struct sf_screen *sc = v->sc;

	for (size_t j = (size_t)v->focus + 1; j < sc->nitems; j++) {
		if (engine_typed(&sc->item[j])) {
			engine_focus_step(e, 1);
			return;
		}
	}
	for (size_t j = 0; j < sc->nitems; j++) {
		if (sc->item[j].kind == SF_BUTTON) {
			engine_check_field(e, sc, v->focus, false);
			engine_activate(e, (int)j);
			return;
		}
	}
	engine_focus_step(e, 1);
}

/* Esc: where the screen's `back` leads. */
static void
engine_back(struct engine *e)
{
	const char *back = engine_top(e)->sc->back;

	if (strcmp(back, "none") == 0)
		return;
	if (strcmp(back, "previous") == 0 && e->depth == 1)
		return;
	engine_navigate(e, back);
}

/* F2 / ^G: the language screen, from anywhere. */
static void
engine_language(struct engine *e)
{
	if (screenfile_find(e->set, "language") != NULL &&
	    strcmp(engine_top(e)->sc->id, "language") != 0)
		engine_navigate(e, "language");
}

/* Say that a field is full. */
static void
engine_too_long(struct fieldval *fv, const struct sf_item *it)
{
	fv->err = ERR_TOO_LONG;
	fv->params.min = 0;
	fv->params.max = it->max;
}

/* Keys on a choice: Left/Right (and Space, forward) move the answer;
 * nothing can be typed into it.  The answer is kept as its value. */
static bool
engine_choose(struct fieldval *fv, const struct sf_item *it, int k,
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

/* Editing keys on a typed field; false if the key is not one. */
static bool
engine_edit(struct engine *e, const struct input_event *ev)
{
	struct view *v = engine_top(e);
	const struct sf_item *it;
	struct fieldval *fv;
	struct editbuf *eb;
	int k = ev->kind == INPUT_KEY ? ev->key : -1;
	wchar_t c = ev->kind == INPUT_CHAR ? ev->ch : 0;

	if (v->focus < 0 || !engine_typed(&v->sc->item[v->focus]))
		return false;
	it = &v->sc->item[v->focus];
	fv = store_get(e->store, v->sc->id, it->name);
	eb = &fv->eb;
	if (it->fkind == SF_FIELD_CHOICE)
		return engine_choose(fv, it, k, c);
	/* Read-only (003 §3 step 6: the address is shown, not edited): the
	 * cursor may rest on it to be read, nothing changes it. */
	if (it->fkind == SF_FIELD_READONLY)
		return ev->kind == INPUT_CHAR || ev->kind == INPUT_PASTE ||
		    k == KEY_BACKSPACE || k == KEY_DC;
	eb->limit = it->max > 0 ? (size_t)it->max : 1024;
	if (ev->kind == INPUT_PASTE) {
		/* A refusal is the field's own error, shown at once beside
		 * it and on the message line whatever the field showed
		 * before (an earlier "required"), until the next key that
		 * changes it. */
		if (it->nopaste) {
			fv->err = ev->typed ? ERR_TYPED_TOO_FAST : ERR_NO_PASTE;
			memset(&fv->params, 0, sizeof fv->params);
			return true;
		}
		fv->err = ERR_NONE;
		if (it->digits && ev->paste[strspn(ev->paste, "0123456789")] !=
		    '\0') {
			fv->err = ERR_DIGITS_ONLY;
			memset(&fv->params, 0, sizeof fv->params);
			return true;
		}
		if (!editbuf_insert_utf8(eb, ev->paste))
			engine_too_long(fv, it);
		return true;
	}
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
			engine_too_long(fv, it);
	} else
		return false;
	return true;
}

/* The kiosk's fresh start for the next person: log out, wipe every
 * field, token and password, back to the default language and colours,
 * home. */
static void
engine_kiosk_reset(struct engine *e)
{
	dialog_close(&e->dialog);
	if (session_active(e->sess)) {
		struct apicall_env env;

		memset(&env, 0, sizeof env);
		env.api = e->api;
		env.sess = e->sess;
		env.store = e->store;
		env.screen = "home";
		env.tick = engine_tick;
		env.tick_ctx = e;
		e->busy = true;
		apicall_run("session.delete", &env);
		e->busy = false;
		free(env.field);
	}
	/* Logged out here whatever the network said, and nothing kept from
	 * earlier answers (a registration handle...) survives. */
	session_logout(e->sess);
	engine_forget(e);
	for (size_t i = 0; i < e->nahead; i++)
		input_free(&e->ahead[i]);
	e->nahead = 0;
	lang_set(e->kiosk.lang);
	e->sess->lang = lang_code(e->kiosk.lang);
	theme_use(e->kiosk.scheme);
	engine_go_home(e);
	engine_clear_message(e);
	memset(&e->msg_kept, 0, sizeof e->msg_kept);
	e->last_input = session_clock();
	clearok(curscr, TRUE);
}

/* The session ran out (003 §2.6): say so and go home. */
static void
engine_session_ended(struct engine *e)
{
	if (e->dialog.kind == DIALOG_IDLE_WARNING)
		dialog_close(&e->dialog);
	session_logout(e->sess);
	engine_forget(e);
	engine_go_home(e);
	engine_error(e, ERR_SESSION_EXPIRED, NULL);
}

/* Nothing of anyone is on this terminal: home, logged out, no field
 * holds a value, default language and colours.  A kiosk in this state
 * has nothing to wipe and does not count down. */
static bool
engine_is_fresh(const struct engine *e)
{
	if (e->depth != 1 || session_active(e->sess) ||
	    strcmp(e->sess->lang, lang_code(e->kiosk.lang)) != 0 ||
	    strcmp(theme_current(), e->kiosk.scheme) != 0)
		return false;
	for (size_t i = 0; i < e->store->n; i++) {
		if (e->store->v[i]->eb.len > 0 || e->store->v[i]->on)
			return false;
	}
	return true;
}

/* Look at the clocks: the idle-logout warning and the kiosk countdown.
 * True if the screen must be redrawn. */
static bool
engine_timers(struct engine *e)
{
	double now = session_clock();
	bool redraw = false;

	if (session_active(e->sess) && e->sess->idle_timeout > 0) {
		double left = e->sess->deadline - now;

		if (left <= 0) {
			engine_session_ended(e);
			redraw = true;
		} else if (left <= (double)e->sess->idle_warning &&
		    !e->sess->warned && e->dialog.kind == DIALOG_NONE) {
			e->sess->warned = true;
			dialog_open(&e->dialog, DIALOG_IDLE_WARNING,
			    time(NULL) + (time_t)left);
			redraw = true;
		}
	}
	if (e->kiosk.on && engine_is_fresh(e)) {
		if (e->dialog.kind == DIALOG_KIOSK_RESET)
			dialog_close(&e->dialog);
		e->last_input = now;
	} else if (e->kiosk.on) {
		double idle = now - e->last_input;

		if (idle >= (double)e->kiosk.idle) {
			engine_kiosk_reset(e);
			redraw = true;
		} else if (idle >= (double)(e->kiosk.idle - e->kiosk.warning) &&
		    e->dialog.kind == DIALOG_NONE) {
			dialog_open(&e->dialog, DIALOG_KIOSK_RESET,
			    time(NULL) + (time_t)((double)e->kiosk.idle - idle));
			redraw = true;
		}
	}
	/* A countdown on screen is redrawn as its number changes. */
	if (e->dialog.kind == DIALOG_KIOSK_RESET ||
	    e->dialog.kind == DIALOG_IDLE_WARNING) {
		int secs = (int)(e->dialog.until - time(NULL));

		if (secs != e->shown_seconds) {
			e->shown_seconds = secs;
			redraw = true;
		}
	}
	return redraw;
}

/* The staff code is right: constant time, so that timing tells nothing. */
static bool
engine_staff_code_ok(const struct engine *e, const char *typed)
{
	const char *want = e->kiosk.staff_code;
	size_t lw = strlen(want), lt = strlen(typed);
	unsigned char diff = (unsigned char)(lw != lt);

	for (size_t i = 0; i < lw; i++)
		diff |= (unsigned char)want[i] ^
		    (unsigned char)(i < lt ? typed[i] : 0);
	return diff == 0;
}

/* A button of the open dialog was chosen (-1: Enter in its input). */
static void
engine_dialog_choose(struct engine *e, int button)
{
	struct dialog *d = &e->dialog;

	switch (d->kind) {
	case DIALOG_KIOSK_RESET:
		dialog_close(d);
		break;
	case DIALOG_IDLE_WARNING:
		if (button == 0) {
			struct apicall_env env;

			memset(&env, 0, sizeof env);
			env.api = e->api;
			env.sess = e->sess;
			env.store = e->store;
			env.screen = engine_top(e)->sc->id;
			env.tick = engine_tick;
			env.tick_ctx = e;
			dialog_close(d);
			e->busy = true;
			apicall_run("session.extend", &env);
			e->busy = false;
			if (apicall_session_lost(env.err))
				engine_session_ended(e);
			else if (env.err != ERR_NONE)
				engine_error(e, env.err, &env.params);
			free(env.field);
		} else
			dialog_close(d);
		break;
	case DIALOG_HELP:
		dialog_close(d);
		break;
	case DIALOG_CONFIRM:
		if (button == 0) {
			e->confirmed = true;
			engine_activate(e, d->item);
		} else
			dialog_close(d);
		break;
	case DIALOG_STAFF_EXIT:
		if (button == 1) {
			dialog_close(d);
			break;
		}
		{
			char *typed = editbuf_utf8(&d->input);
			bool ok = engine_staff_code_ok(e, typed);

			free_secret(&typed);
			editbuf_clear(&d->input);
			if (ok) {
				dialog_close(d);
				e->quit = true;
			} else {
				/* L10N: staff exit of kiosk mode. */
				d->error = N_("The staff code is not correct.");
				d->focus = -1;
			}
		}
		break;
	case DIALOG_NONE:
		break;
	}
}

/* A key while a dialog is open: it keeps the keyboard until closed. */
static void
engine_dialog_key(struct engine *e, const struct input_event *ev)
{
	struct dialog *d = &e->dialog;
	int k = ev->kind == INPUT_KEY ? ev->key : -1;
	wchar_t c = ev->kind == INPUT_CHAR ? ev->ch : 0;
	int first = d->has_input ? -1 : 0;
	bool enter = c == L'\r' || c == L'\n' || k == KEY_ENTER;

	if (ev->kind == INPUT_NONE || ev->kind == INPUT_RESIZE)
		return;
	/* 003 §2.6 and the kiosk countdown: any key means "still here". */
	if (d->kind == DIALOG_KIOSK_RESET) {
		dialog_close(d);
		return;
	}
	if (c == INPUT_ESC) {
		dialog_close(d);
		return;
	}
	if (c == L'\t' || k == KEY_DOWN || k == KEY_RIGHT) {
		d->focus = d->focus + 1 >= d->nbuttons ? first : d->focus + 1;
		return;
	}
	if (k == KEY_BTAB || k == KEY_UP || k == KEY_LEFT) {
		d->focus = d->focus - 1 < first ? d->nbuttons - 1 : d->focus - 1;
		return;
	}
	if (d->focus < 0) {
		if (enter)
			engine_dialog_choose(e, -1);
		else if (k == KEY_BACKSPACE || c == INPUT_DEL ||
		    c == INPUT_CTRL('h'))
			editbuf_backspace(&d->input);
		else if (ev->kind == INPUT_CHAR && c >= 0x20)
			editbuf_insert(&d->input, c);
		return;
	}
	if (enter || c == L' ')
		engine_dialog_choose(e, d->focus);
}

static void engine_key(struct engine *, const struct input_event *);

/* Keys that arrived together (input.h INPUT_BURST) are refused as a
 * whole only by a field that must be typed; everywhere else they are
 * what they were, keys typed one after another. */
static bool
engine_replay(struct engine *e, const struct input_event *ev)
{
	struct view *v = engine_top(e);
	const char *p = ev->paste;
	struct input_event one;
	mbstate_t st;
	size_t len;
	wchar_t wc;

	if (e->dialog.kind == DIALOG_NONE && v->focus >= 0 &&
	    engine_typed(&v->sc->item[v->focus]) &&
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

/* One event. */
static void
engine_key(struct engine *e, const struct input_event *ev)
{
	struct view *v = engine_top(e);
	const struct sf_item *it = v->focus >= 0 ? &v->sc->item[v->focus] :
	    NULL;
	int k = ev->kind == INPUT_KEY ? ev->key : -1;
	wchar_t c = ev->kind == INPUT_CHAR ? ev->ch : 0;

	if (ev->kind == INPUT_PASTE && ev->typed && engine_replay(e, ev))
		return;
	if (ev->kind != INPUT_NONE && ev->kind != INPUT_RESIZE)
		e->last_input = session_clock();
	if (ev->kind == INPUT_CHAR && c == INPUT_CTRL('l')) {
		clearok(curscr, TRUE);
		return;
	}
	if (e->dialog.kind != DIALOG_NONE) {
		engine_dialog_key(e, ev);
		return;
	}
	if (ev->kind == INPUT_CHAR && c == INPUT_CTRL('c')) {
		/* A kiosk has no way out to a shell: ^C (like ^Z and ^\,
		 * which raw mode makes plain keys) does nothing. */
		if (!e->kiosk.on)
			e->quit = true;
		return;
	}
	if (e->kiosk.on && e->kiosk.staff_code != NULL &&
	    (k == KEY_F(12) || c == INPUT_CTRL('x'))) {
		dialog_open(&e->dialog, DIALOG_STAFF_EXIT, 0);
		return;
	}
	if (draw_too_small() || ev->kind == INPUT_NONE ||
	    ev->kind == INPUT_RESIZE)
		return;
	if (k == KEY_F(2) || c == INPUT_CTRL('g')) {
		engine_language(e);
		return;
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
		return;
	}
	if (k == KEY_F(1) || c == INPUT_CTRL('o')) {
		dialog_open(&e->dialog, DIALOG_HELP, 0);
		return;
	}
	if (c == INPUT_ESC) {
		engine_back(e);
		return;
	}
	if (c == L'\t' || (k == KEY_DOWN && (it == NULL ||
	    it->kind != SF_TABLE))) {
		engine_focus_step(e, 1);
		return;
	}
	if (k == KEY_BTAB || (k == KEY_UP && (it == NULL ||
	    it->kind != SF_TABLE))) {
		engine_focus_step(e, -1);
		return;
	}
	if (it == NULL)
		return;
	if (it->kind == SF_TABLE) {
		if (!engine_table_key(e, it, k, c) &&
		    (k == KEY_DOWN || k == KEY_UP))
			engine_focus_step(e, k == KEY_DOWN ? 1 : -1);
		return;
	}
	if (it->kind == SF_BUTTON) {
		if (c == L'\r' || c == L'\n' || c == L' ' || k == KEY_ENTER)
			engine_activate(e, v->focus);
		return;
	}
	if (it->fkind == SF_FIELD_TOGGLE && c == L' ') {
		struct fieldval *fv = store_get(e->store, v->sc->id, it->name);

		fv->on = !fv->on;
		return;
	}
	if (c == L'\r' || c == L'\n' || k == KEY_ENTER) {
		engine_enter_field(e);
		return;
	}
	engine_edit(e, ev);
}

/* Ask the service who it is; a failure is shown but is not fatal, and
 * logging in still tries. */
static void
engine_fetch_info(struct engine *e)
{
	struct apicall_env env;

	memset(&env, 0, sizeof env);
	env.api = e->api;
	env.sess = e->sess;
	env.store = e->store;
	env.screen = "home";
	env.tick = engine_tick;
	env.tick_ctx = e;
	e->busy = true;
	apicall_info(&env);
	e->busy = false;
	if (env.err != ERR_NONE && !e->quit)
		engine_error(e, env.err, &env.params);
	free(env.field);
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
		engine_enter(e, false);
	e->home_pending = false;
}

/* Run until the person quits. */
int
engine_run(struct engine *e)
{
	struct input_event ev;

	e->depth = 1;
	e->stack[0].sc = NULL;
	engine_go_home(e);
	e->typeahead = true;
	engine_fetch_info(e);
	e->typeahead = false;
	e->last_input = session_clock();
	engine_home_data(e);
	engine_draw(e);
	while (!e->quit && !tty_quit_requested()) {
		/* Keys typed while data was loading come first, in order. */
		if (e->nahead > 0) {
			ev = e->ahead[0];
			memmove(&e->ahead[0], &e->ahead[1],
			    --e->nahead * sizeof e->ahead[0]);
		} else
			input_read(&ev, ENGINE_KEY_TIMEOUT_MS);
		if (ev.kind == INPUT_NONE) {
			if (engine_timers(e) && !e->quit)
				engine_draw(e);
			continue;
		}
		engine_key(e, &ev);
		input_free(&ev);
		engine_timers(e);
		engine_home_data(e);
		if (!e->quit)
			engine_draw(e);
	}
	for (size_t i = 0; i < e->nahead; i++)
		input_free(&e->ahead[i]);
	e->nahead = 0;
	dialog_close(&e->dialog);
	return 0;
}
