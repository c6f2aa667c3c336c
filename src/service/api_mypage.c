/* My page changes (SPEC M2-M6) and session extension (P4). */
#include "config.h"

#include "api.h"

const struct http_route api_routes_mypage[] = {
	{ NULL, NULL, NULL }
};
