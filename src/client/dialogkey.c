/* Keys on a dialog. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "curses-wrap.h"
#include "dialogkey.h"
#include "i18n.h"
#include "request.h"
#include "state.h"
#include "timers.h"
#include "xmalloc.h"

/* The staff code is right: constant time, so that timing tells nothing. */
static bool
dialogkey_staff_code_ok(const struct engine *e, const char *typed)
{
	const char *want = e->kiosk.staff_code;
	size_t lw = strlen(want), lt = strlen(typed);
	unsigned char diff = (unsigned char)(lw != lt);

	for (size_t i = 0; i < lw; i++)
		diff |= (unsigned char)want[i] ^
		    (unsigned char)(i < lt ? typed[i] : 0);
	return diff == 0;
}

/* 003 §2.6 [OK]: the session goes on for the full idle limit. */
static void
dialogkey_extend(struct engine *e)
{
	struct apicall_env env;

	request_env(e, &env, state_top(e)->sc->id);
	dialog_close(&e->dialog);
	request_run(e, "session.extend", &env);
	if (apicall_session_lost(env.err))
		timers_session_ended(e);
	else if (env.err != ERR_NONE)
		state_error(e, env.err, &env.params);
	free(env.field);
}

/* Enter in the staff exit's code field, or its Exit button. */
static void
dialogkey_staff_exit(struct engine *e)
{
	struct dialog *d = &e->dialog;
	char *typed = editbuf_utf8(&d->input);
	bool ok = dialogkey_staff_code_ok(e, typed);

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

/* A button of the open dialog was chosen (-1: Enter in its input). */
static void
dialogkey_choose(struct engine *e, int button)
{
	struct dialog *d = &e->dialog;

	switch (d->kind) {
	case DIALOG_KIOSK_RESET:
	case DIALOG_HELP:
		dialog_close(d);
		break;
	case DIALOG_IDLE_WARNING:
		if (button == 0)
			dialogkey_extend(e);
		else
			dialog_close(d);
		break;
	case DIALOG_CONFIRM:
		if (button == 0) {
			e->confirmed = true;
			action_activate(e, d->item);
		} else
			dialog_close(d);
		break;
	case DIALOG_STAFF_EXIT:
		if (button == 1)
			dialog_close(d);
		else
			dialogkey_staff_exit(e);
		break;
	case DIALOG_NONE:
		break;
	}
}

void
dialogkey(struct engine *e, const struct input_event *ev)
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
			dialogkey_choose(e, -1);
		else if (k == KEY_BACKSPACE || c == INPUT_DEL ||
		    c == INPUT_CTRL('h'))
			editbuf_backspace(&d->input);
		else if (ev->kind == INPUT_CHAR && c >= 0x20)
			editbuf_insert(&d->input, c);
		return;
	}
	if (enter || c == L' ')
		dialogkey_choose(e, d->focus);
}
