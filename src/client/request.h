/* Requests the engine makes, with the screen alive meanwhile: the
 * spinner turns, Esc cancels, ^C quits, and keys typed while a screen's
 * data loads are kept to be used after it (typeahead). */
#ifndef MADOGUCHI_REQUEST_H
#define MADOGUCHI_REQUEST_H

#include "apicall.h"
#include "engine.h"

/* An environment for a call from screen (an id) with what every call
 * needs filled in. */
void request_env(struct engine *, struct apicall_env *, const char *screen);
/* Run call (callname.h) with env; busy meanwhile.  Returns env->err. */
enum errcode request_run(struct engine *, const char *call,
    struct apicall_env *env);
/* GET /api/v1/info into the session, busy meanwhile. */
enum errcode request_info(struct engine *, struct apicall_env *env);

#endif
