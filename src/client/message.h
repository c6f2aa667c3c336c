/* The message line above the key bar: an error code, or a status msgid,
 * translated at every frame so that a language switch re-renders it. */
#ifndef MADOGUCHI_MESSAGE_H
#define MADOGUCHI_MESSAGE_H

#include <stdbool.h>

#include "errmsg.h"

struct message {
	enum errcode code;
	struct errparams params;
	const char *status;	/* N_() msgid, or NULL */
	bool status_error;	/* show the status with the "!" mark */
};

#endif
