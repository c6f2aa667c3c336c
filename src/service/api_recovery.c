/* Recovery without a session (SPEC A1-A3, L3: user ID reminder, password reset by mailed key, password change). */
#include "config.h"

#include "api.h"

const struct http_route api_routes_recovery[] = {
	{ NULL, NULL, NULL }
};
