/* Running a request while the screen stays alive. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "request.h"
#include "scene.h"
#include "tty.h"

/* Keep the screen alive while a request runs; true cancels it. */
static bool
request_tick(void *ctx)
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
	scene_paint(e);
	input_read(&ev, 0);
	if (ev.kind == INPUT_CHAR && ev.ch == INPUT_ESC)
		cancel = true;
	else if (ev.kind == INPUT_CHAR && ev.ch == INPUT_CTRL('c') &&
	    !e->kiosk.on) {
		e->quit = true;
		cancel = true;
	} else if (ev.kind == INPUT_CHAR && ev.ch == INPUT_CTRL('l'))
		scene_redraw(e);
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

void
request_env(struct engine *e, struct apicall_env *env, const char *screen)
{
	memset(env, 0, sizeof *env);
	env->api = e->api;
	env->sess = e->sess;
	env->store = e->store;
	env->ph = &e->ph;
	env->screen = screen;
	env->tick = request_tick;
	env->tick_ctx = e;
}

enum errcode
request_run(struct engine *e, const char *call, struct apicall_env *env)
{
	e->busy = true;
	apicall_run(call, env);
	e->busy = false;
	return env->err;
}

enum errcode
request_info(struct engine *e, struct apicall_env *env)
{
	e->busy = true;
	apicall_info(env);
	e->busy = false;
	return env->err;
}
