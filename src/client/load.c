/* Loading what screens show. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "paging.h"
#include "request.h"
#include "state.h"
#include "xmalloc.h"

void
load_table(struct engine *e, const struct sf_screen *sc,
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
	request_env(e, &env, sc->id);
	env.auth = sc->auth;
	env.keep_as = it->name;
	request_run(e, target, &env);
	free(target);
	if (env.err == ERR_NONE && !paging_read(cJSON_GetObjectItemCaseSensitive(
	    e->sess->vars, it->name), &pg)) {
		/* Numbers out of range or that do not add up: nothing of
		 * it is shown, and the person is told. */
		session_forget(e->sess, it->name);
		fv->row = 0;
		state_error(e, ERR_NET_BAD_RESPONSE, NULL);
	} else if (env.err == ERR_NONE) {
		if (fv->row >= pg.nitems)
			fv->row = pg.nitems > 0 ? pg.nitems - 1 : 0;
	} else if (apicall_session_lost(env.err))
		state_lost(e, env.err, &env.params);
	else
		state_error(e, env.err, &env.params);
	free(env.field);
}

void
load_screen(struct engine *e, const struct sf_screen *sc)
{
	if (sc->load != NULL) {
		struct apicall_env env;

		request_env(e, &env, sc->id);
		env.auth = sc->auth;
		request_run(e, sc->load, &env);
		if (env.err != ERR_NONE && apicall_session_lost(env.err)) {
			state_lost(e, env.err, &env.params);
			free(env.field);
			return;
		}
		if (env.err != ERR_NONE)
			state_error(e, env.err, &env.params);
		free(env.field);
	}
	/* Each table's page; a failure that sent the person home stops. */
	for (size_t i = 0; i < sc->nitems && state_top(e)->sc == sc; i++) {
		const struct sf_item *it = &sc->item[i];

		if (it->kind == SF_TABLE && (it->cond == NULL ||
		    session_cond(e->sess, it->cond)) &&
		    !(sc->auth && !session_active(e->sess)))
			load_table(e, sc, it);
	}
}

void
load_info(struct engine *e)
{
	struct apicall_env env;

	request_env(e, &env, "home");
	request_info(e, &env);
	if (env.err != ERR_NONE && !e->quit)
		state_error(e, env.err, &env.params);
	free(env.field);
}
