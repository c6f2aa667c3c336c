/* Handing the engine's state to draw.c. */
#include "config.h"

#include <string.h>

#include "curses-wrap.h"
#include "focus.h"
#include "scene.h"
#include "state.h"

void
scene_paint(struct engine *e)
{
	struct view *v = state_top(e);
	const struct sf_screen *lang = screenfile_find(e->set, "language");
	struct scene s;

	if (focus_settle(e->sess, v->sc, &v->focus))
		v->scrolled = false;
	/* A dialog's frame may have cut a wide character beneath it in
	 * half; once it is gone, the whole screen is sent again rather
	 * than the cells curses believes changed. */
	if (e->dialog_drawn && e->dialog.kind == DIALOG_NONE)
		scene_redraw(e);
	e->dialog_drawn = e->dialog.kind != DIALOG_NONE;
	memset(&s, 0, sizeof s);
	s.sc = v->sc;
	s.focus = v->focus;
	s.top = v->top;
	s.scrolled = v->scrolled;
	s.can_back = strcmp(v->sc->back, "none") != 0 &&
	    (strcmp(v->sc->back, "previous") != 0 || e->depth > 1);
	s.has_language = lang != NULL && lang != v->sc;
	s.ph = &e->ph;
	s.msg = &e->msg;
	s.busy = e->busy;
	s.spin = e->spin;
	s.dialog = &e->dialog;
	s.serial = e->serial;
	draw_frame(&e->frame, &s);
	v->top = s.top;
}

void
scene_redraw(struct engine *e)
{
	clearok(curscr, TRUE);
	draw_invalidate(&e->frame);
}
