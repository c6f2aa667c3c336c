/* What the dialogs say. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "datefmt.h"
#include "drawdialog.h"
#include "i18n.h"
#include "layout.h"
#include "xmalloc.h"

/* True if the screen shows a field marked as required. */
static bool
drawdialog_has_marked(const struct scene *s)
{
	for (size_t i = 0; i < s->sc->nitems; i++) {
		const struct sf_item *it = &s->sc->item[i];

		if (layout_marked(s->ph->sess, it) && (it->cond == NULL ||
		    session_cond(s->ph->sess, it->cond)))
			return true;
	}
	return false;
}

/* The help of the screen and the keys of every screen (malloc'd). */
static char *
drawdialog_help(const struct scene *s)
{
	char *own = s->sc->help.s != NULL ? layout_text(s->ph, &s->sc->help) :
	    xstrdup(""), *text;

	if (drawdialog_has_marked(s)) {
		char *more;

		/* L10N: explains the mark of layout's "%s *". */
		xasprintf(&more, "%s%s%s", own, *own != '\0' ? "\n\n" : "",
		    _("Items marked * must be filled in."));
		free(own);
		own = more;
	}
	/* L10N: the keys of every screen, one per line; keep the
	   key names, translate what they do. */
	xasprintf(&text, "%s%s%s", own, *own != '\0' ? "\n\n" : "",
	    _("Tab, Down: next item\nShift-Tab, Up: previous item\nEnter: choose, or go to the next field\nSpace: tick or untick\nEsc: back\nF2 or Ctrl-G: language\nF1 or Ctrl-O: this help\nCtrl-L: redraw the screen"));
	free(own);
	return text;
}

void
drawdialog(const struct scene *s)
{
	const struct dialog *d = s->dialog;
	long secs = (long)(d->until - time(NULL));
	char *text = NULL, when[64] = "";
	const char *title = "";
	const char *labels[DIALOG_MAX_BUTTONS] = { NULL };
	char *logout_at = NULL;
	struct tm tm;

	if (secs < 0)
		secs = 0;
	switch (d->kind) {
	case DIALOG_KIOSK_RESET:
		title = _("Are you still there?");
		xasprintf(&text, ngettext(
		    "No key has been pressed for a while. In %ld second this terminal starts again from the beginning and everything entered is erased. Press any key to continue.",
		    "No key has been pressed for a while. In %ld seconds this terminal starts again from the beginning and everything entered is erased. Press any key to continue.",
		    secs), secs);
		break;
	case DIALOG_IDLE_WARNING:
		title = _("Automatic log-out");
		if (localtime_r(&d->until, &tm) != NULL)
			/* L10N: strftime format of the log-out time. */
			datefmt(when, sizeof when, _("%H:%M"), &tm);
		/* 003 §2.6: the time of the log-out, and [OK] extends by the
		 * full limit. */
		{
			char how_long[64];

			session_duration(s->ph->sess->idle_timeout, how_long,
			    sizeof how_long);
			xasprintf(&text, _("There has been no activity, so you will be logged out at %s. Choose Extend to stay logged in for another %s."),
			    when, how_long);
		}
		/* Not "Cancel": what it does is let the log-out come. */
		xasprintf(&logout_at, _("Log out at %s"), when);
		labels[1] = logout_at;
		break;
	case DIALOG_HELP:
		title = _("Help");
		text = drawdialog_help(s);
		break;
	case DIALOG_CONFIRM:
		title = _("Confirm");
		text = layout_text(s->ph, &s->sc->item[d->item].confirm);
		break;
	case DIALOG_STAFF_EXIT:
		title = _("Staff exit");
		text = xstrdup(_("Enter the staff code to leave kiosk mode, or press Esc."));
		break;
	case DIALOG_NONE:
		return;
	}
	dialog_draw(d, title, text, labels);
	free(logout_at);
	free(text);
}
