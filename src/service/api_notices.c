/* Notices for the home screen (SPEC P1, 003 §1.5). */
#include "config.h"

#include "api.h"

const struct http_route api_routes_notices[] = {
	{ NULL, NULL, NULL }
};
