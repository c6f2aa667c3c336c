/* Idle logout and the kiosk's countdown. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang.h"
#include "request.h"
#include "scene.h"
#include "state.h"
#include "theme.h"
#include "timers.h"

/* The kiosk's fresh start for the next person: log out, wipe every
 * field, token and password, back to the default language and colours,
 * home. */
static void
timers_kiosk_reset(struct engine *e)
{
	dialog_close(&e->dialog);
	if (session_active(e->sess)) {
		struct apicall_env env;

		request_env(e, &env, "home");
		request_run(e, "session.delete", &env);
		free(env.field);
	}
	/* Logged out here whatever the network said, and nothing kept from
	 * earlier answers (a registration handle...) survives. */
	session_logout(e->sess);
	state_forget(e);
	for (size_t i = 0; i < e->nahead; i++)
		input_free(&e->ahead[i]);
	e->nahead = 0;
	lang_set(e->kiosk.lang);
	e->sess->lang = lang_code(e->kiosk.lang);
	theme_use(e->kiosk.scheme);
	state_home(e);
	state_clear_message(e);
	memset(&e->msg_kept, 0, sizeof e->msg_kept);
	e->last_input = session_clock();
	scene_redraw(e);
}

void
timers_session_ended(struct engine *e)
{
	if (e->dialog.kind == DIALOG_IDLE_WARNING)
		dialog_close(&e->dialog);
	state_lost(e, ERR_SESSION_EXPIRED, NULL);
}

/* Nothing of anyone is on this terminal: home, logged out, no field
 * holds a value, default language and colours.  A kiosk in this state
 * has nothing to wipe and does not count down. */
static bool
timers_fresh(const struct engine *e)
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

/* The idle-logout warning, or the end of the session; true if either
 * changed the screen. */
static bool
timers_session(struct engine *e, double now)
{
	double left;

	if (!session_active(e->sess) || e->sess->idle_timeout <= 0)
		return false;
	left = e->sess->deadline - now;
	if (left <= 0) {
		timers_session_ended(e);
		return true;
	}
	if (left <= (double)e->sess->idle_warning && !e->sess->warned &&
	    e->dialog.kind == DIALOG_NONE) {
		e->sess->warned = true;
		dialog_open(&e->dialog, DIALOG_IDLE_WARNING,
		    time(NULL) + (time_t)left);
		return true;
	}
	return false;
}

/* The kiosk's countdown and reset; true if either changed the screen. */
static bool
timers_kiosk(struct engine *e, double now)
{
	double idle;

	if (!e->kiosk.on)
		return false;
	if (timers_fresh(e)) {
		if (e->dialog.kind == DIALOG_KIOSK_RESET)
			dialog_close(&e->dialog);
		e->last_input = now;
		return false;
	}
	idle = now - e->last_input;
	if (idle >= (double)e->kiosk.idle) {
		timers_kiosk_reset(e);
		return true;
	}
	if (idle >= (double)(e->kiosk.idle - e->kiosk.warning) &&
	    e->dialog.kind == DIALOG_NONE) {
		dialog_open(&e->dialog, DIALOG_KIOSK_RESET,
		    time(NULL) + (time_t)((double)e->kiosk.idle - idle));
		return true;
	}
	return false;
}

bool
timers_check(struct engine *e)
{
	double now = session_clock();
	bool redraw = timers_session(e, now);

	if (timers_kiosk(e, now))
		redraw = true;
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
