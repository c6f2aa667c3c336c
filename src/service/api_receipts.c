/* Certificate receipts (SPEC M7, 003 §5). */
#include "config.h"

#include "api.h"

const struct http_route api_routes_receipts[] = {
	{ NULL, NULL, NULL }
};
