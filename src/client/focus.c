/* Where the focus may rest and where it starts. */
#include "config.h"

#include <string.h>

#include "focus.h"
#include "theme.h"

bool
focus_can(const struct session *sess, const struct sf_item *it)
{
	if (it->kind == SF_TEXT)
		return false;
	if (sess->kiosk && it->kind == SF_BUTTON && it->action == SF_ACT_QUIT)
		return false;
	return it->cond == NULL || session_cond(sess, it->cond);
}

int
focus_first(const struct session *sess, const struct sf_screen *sc)
{
	for (size_t i = 0; i < sc->nitems; i++) {
		if (focus_can(sess, &sc->item[i]))
			return (int)i;
	}
	return -1;
}

/* A button that chooses what is in use now (lang=ja while Japanese is
 * shown, scheme=blue while blue is). */
static bool
focus_in_use(const struct session *sess, const struct sf_item *it)
{
	if (it->kind != SF_BUTTON || it->target == NULL)
		return false;
	if (it->action == SF_ACT_LANG)
		return sess->lang != NULL && strcmp(it->target, sess->lang) == 0;
	if (it->action == SF_ACT_SCHEME)
		return strcmp(it->target, theme_current()) == 0;
	return false;
}

int
focus_initial(const struct session *sess, const struct sf_screen *sc)
{
	/* A person opening the Language screen to read what is offered
	 * hears first what is in use, and Enter keeps it. */
	for (size_t i = 0; i < sc->nitems; i++) {
		if (focus_in_use(sess, &sc->item[i]) &&
		    focus_can(sess, &sc->item[i]))
			return (int)i;
	}
	return focus_first(sess, sc);
}

bool
focus_settle(const struct session *sess, const struct sf_screen *sc,
    int *focus)
{
	int to;

	if (*focus >= 0 && (size_t)*focus < sc->nitems &&
	    focus_can(sess, &sc->item[*focus]))
		return false;
	to = focus_first(sess, sc);
	if (to == *focus)
		return false;
	*focus = to;
	return true;
}
