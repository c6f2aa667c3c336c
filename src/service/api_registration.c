/* Registration (SPEC R1-R7: pre-registration, verification, completion, user ID issue). */
#include "config.h"

#include "api.h"

const struct http_route api_routes_registration[] = {
	{ NULL, NULL, NULL }
};
