/* The title bar, steps, message line and key bar. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses-wrap.h"
#include "drawchrome.h"
#include "drawtext.h"
#include "hash.h"
#include "i18n.h"
#include "lang.h"
#include "theme.h"
#include "xmalloc.h"

void
drawchrome_title(const struct scene *s)
{
	const struct session *sess = s->ph->sess;
	const char *svc = sess->service_name != NULL ? sess->service_name :
	    PACKAGE_NAME;
	const char *lname = lang_own_name(sess->lang);
	char *title = layout_text(s->ph, &s->sc->title);
	int rw = text_width(lname), tw = text_width(title), lw, tx;

	attron(theme_attr(THEME_TITLE));
	mvhline(0, 0, ' ', COLS);
	drawtext_str(0, COLS - 1 - rw, lname, rw);
	lw = COLS - rw - tw - 6;
	lw = drawtext_str(0, 1, svc, lw);
	tx = (COLS - tw) / 2;
	if (tx < 1 + lw + 2)
		tx = 1 + lw + 2;
	attron(A_BOLD);
	drawtext_str(0, tx, title, COLS - 1 - rw - 1 - tx);
	attrset(A_NORMAL);
	free(title);
}

void
drawchrome_steps(int y, const char *line, int cols)
{
	char *copy = xstrdup(line), *cur = strchr(copy, '['), *end;
	int x = 1;

	if (cur == NULL) {
		drawtext_str(y, 1, copy, cols);
		free(copy);
		return;
	}
	end = strchr(cur, ']');
	*cur = '\0';
	x += drawtext_str(y, x, copy, cols);
	*cur = '[';
	if (end != NULL)
		*end = '\0';
	attron(A_BOLD);
	x += drawtext_str(y, x, cur, cols - x + 1);
	if (end != NULL) {
		*end = ']';
		x += drawtext_str(y, x, "]", cols - x + 1);
		attrset(A_NORMAL);
		drawtext_str(y, x, end + 1, cols - x + 1);
	}
	attrset(A_NORMAL);
	free(copy);
}

char *
drawchrome_message(const struct scene *s, const struct fieldval *fv)
{
	static const char spinner[] = "|/-\\";
	const struct sf_screen *sc = s->sc;
	char *msg = NULL, *out;

	if (s->busy) {
		/* L10N: shown while a request runs; Esc is the key. */
		xasprintf(&out, "%c %s", spinner[s->spin % 4],
		    _("Connecting to the service… Esc cancels"));
		return out;
	}
	if (s->focus >= 0 && sc->item[s->focus].kind == SF_FIELD &&
	    fv != NULL) {
		const struct sf_item *it = &sc->item[s->focus];

		if (fv->err != ERR_NONE) {
			char *label = layout_text(s->ph, &it->text);

			msg = errmsg_text(fv->err, &fv->params, label);
			free(label);
		}
	}
	if (msg == NULL && s->msg->code != ERR_NONE)
		msg = errmsg_text(s->msg->code, &s->msg->params, NULL);
	if (msg != NULL) {
		xasprintf(&out, "! %s", msg);
		free(msg);
		return out;
	}
	if (s->msg->status != NULL && s->msg->status_error) {
		xasprintf(&out, "! %s", _(s->msg->status));
		return out;
	}
	if (s->msg->status != NULL)
		return xstrdup(_(s->msg->status));
	return NULL;
}

/* One key and what it does, for the key bar.  keep: the lower, the
 * sooner it is left off when the bar does not fit. */
struct keyhint {
	const char *key;
	const char *what;
	int keep;
};

/* Columns the hints take with two blanks between them. */
static int
drawchrome_keybar_width(const struct keyhint *h, int n)
{
	int w = 0;

	for (int i = 0; i < n; i++)
		w += (i > 0 ? 2 : 0) + text_width(h[i].key) + 1 +
		    text_width(h[i].what);
	return w;
}

/* True when Left/Right page the focused table. */
static bool
drawchrome_pages(const struct scene *s)
{
	return s->focus >= 0 && s->sc->item[s->focus].kind == SF_TABLE &&
	    !s->sc->item[s->focus].nopager;
}

uint64_t
drawchrome_keybar_sig(const struct scene *s, uint64_t h)
{
	h = hash_int(h, drawchrome_pages(s));
	h = hash_int(h, s->can_back);
	h = hash_int(h, s->has_language);
	return hash_int(h, s->ph->sess->kiosk);
}

/* Every function key has a Ctrl alternative for terminals that send no
 * F-keys.  When a language's words do not all fit, the keys every
 * person knows (Tab, Enter) and Quit go first; Help and Language always
 * stay, so that a person who cannot read the screen still finds the way
 * to a language they can. */
void
drawchrome_keybar(const struct scene *s)
{
	const struct sf_screen *sc = s->sc;
	struct keyhint h[10];
	int n = 0, x = 1, focusable = 0;
	bool toggle = false;

	for (size_t i = 0; i < sc->nitems; i++) {
		const struct sf_item *it = &sc->item[i];

		if (it->kind != SF_TEXT)
			focusable++;
		if (it->kind == SF_FIELD && it->fkind == SF_FIELD_TOGGLE)
			toggle = true;
	}
	/* L10N: key bar; keep these short: the bar is one 80-column line
	   and what does not fit is left off, Quit, Move and Select first. */
	if (focusable > 1)
		h[n++] = (struct keyhint){ "Tab", _("Move"), 1 };
	if (focusable > 0)
		h[n++] = (struct keyhint){ "Enter", _("Select"), 2 };
	if (toggle)
		h[n++] = (struct keyhint){ "Space", _("Toggle"), 3 };
	if (drawchrome_pages(s))
		h[n++] = (struct keyhint){ "Left/Right", _("Page"), 4 };
	if (s->can_back)
		h[n++] = (struct keyhint){ "Esc", _("Back"), 5 };
	h[n++] = (struct keyhint){ "F1/^O", _("Help"), 6 };
	if (s->has_language)
		h[n++] = (struct keyhint){ "F2/^G", _("Language"), 7 };
	if (!s->ph->sess->kiosk)
		h[n++] = (struct keyhint){ "^C", _("Quit"), 0 };
	while (n > 0 && x + drawchrome_keybar_width(h, n) > COLS - 1) {
		int drop = 0;

		for (int i = 1; i < n; i++) {
			if (h[i].keep < h[drop].keep)
				drop = i;
		}
		memmove(&h[drop], &h[drop + 1], (size_t)(n - drop - 1) *
		    sizeof h[0]);
		n--;
	}
	for (int i = 0; i < n; i++) {
		attron(theme_attr(THEME_KEY));
		x += drawtext_str(LINES - 1, x, h[i].key, COLS - x);
		attrset(A_NORMAL);
		x += 1;
		x += drawtext_str(LINES - 1, x, h[i].what, COLS - x);
		x += 2;
	}
}
