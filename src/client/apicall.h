/* The API calls a screen may name in `call=` (docs/screens.md), each
 * taking the screen's field values and updating the session. */
#ifndef MADOGUCHI_APICALL_H
#define MADOGUCHI_APICALL_H

#include <stdbool.h>

#include "api.h"
#include "placeholder.h"
#include "screenfile.h"
#include "session.h"
#include "store.h"

/* What a call needs and what it reports back. */
struct apicall_env {
	struct api *api;
	struct session *sess;
	struct store *store;
	const struct placeholder_src *ph;	/* generic calls: fills the
						   target's {vars.*} */
	const char *screen;	/* id: where the field values are */
	const struct sf_screen *form;	/* generic calls: the fields sent */
	const char *with;	/* generic calls: extra members (with=) */
	bool auth;		/* generic calls: send the session token */
	const char *keep_as;	/* generic calls: keep the answer under this
				   name instead of member by member */
	api_tick_fn tick;
	void *tick_ctx;
	/* Out: the failure, the field it concerns (NULL: none). */
	enum errcode err;
	char *field;
	struct errparams params;
};

/* Run a call a screen names (callname.h); ERR_NONE on success
 * (env->err also set). */
enum errcode apicall_run(const char *name, struct apicall_env *);
/* GET /api/v1/info into the session. */
enum errcode apicall_info(struct apicall_env *);
/* True if a call's failure means the session is gone (go home). */
bool apicall_session_lost(enum errcode);

#endif
