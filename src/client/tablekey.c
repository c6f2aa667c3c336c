/* Keys on a table. */
#include "config.h"

#include "curses-wrap.h"
#include "load.h"
#include "nav.h"
#include "paging.h"
#include "state.h"
#include "tablekey.h"

/* The page kept for the table, or NULL. */
static const cJSON *
tablekey_page(const struct engine *e, const struct sf_item *it)
{
	return e->sess->vars != NULL ?
	    cJSON_GetObjectItemCaseSensitive(e->sess->vars, it->name) : NULL;
}

/* The rows a table holds now (its kept page's items), or NULL. */
static const cJSON *
tablekey_items(const struct engine *e, const struct sf_item *it)
{
	return cJSON_GetObjectItemCaseSensitive(tablekey_page(e, it), "items");
}

/* How many pages the table's last answer had (1 before any). */
static int
tablekey_pages(const struct engine *e, const struct sf_item *it)
{
	struct paging pg;

	return paging_read(tablekey_page(e, it), &pg) ? pg.pages : 1;
}

/* +/-: the next or previous of the page sizes offered. */
static void
tablekey_size(struct fieldval *fv, wchar_t c)
{
	static const int sizes[] = { 10, 20, 50, 100 };
	const size_t n = sizeof sizes / sizeof sizes[0];
	size_t i = 0;

	while (i + 1 < n && sizes[i] < fv->per_page)
		i++;
	if (c == L'+' && i + 1 < n)
		i++;
	else if (c == L'-' && i > 0 && sizes[i] >= fv->per_page)
		i--;
	fv->per_page = sizes[i];
	fv->page = 1;
	fv->row = 0;
}

bool
tablekey(struct engine *e, const struct sf_item *it, int k, wchar_t c)
{
	struct view *v = state_top(e);
	struct fieldval *fv = store_get(e->store, v->sc->id, it->name);
	const cJSON *items = tablekey_items(e, it);
	int n = cJSON_GetArraySize(items), pages = tablekey_pages(e, it);
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
		nav_go(e, it->open);
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
		tablekey_size(fv, c);
		/* A new request: what the last one met no longer holds. */
		state_clear_message(e);
		load_table(e, v->sc, it);
		return true;
	} else
		return k == KEY_RIGHT || k == KEY_LEFT;
	if (page != fv->page) {
		fv->page = page;
		fv->row = 0;
		state_clear_message(e);
		load_table(e, v->sc, it);
	}
	return true;
}
