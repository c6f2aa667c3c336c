/* Names of the API calls screens may make. */
#include "config.h"

#include <string.h>

#include "callname.h"

enum callname
callname_parse(const char *name)
{
	static const char *const methods[] = { "GET:", "POST:", "PATCH:",
	    "PUT:", "DELETE:" };
	static const struct {
		const char *name;
		enum callname call;
	} named[] = {
		{ "session.create", CALL_SESSION_CREATE },
		{ "session.delete", CALL_SESSION_DELETE },
		{ "session.extend", CALL_SESSION_EXTEND },
		{ "session.lang", CALL_SESSION_LANG },
	};

	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t n = strlen(methods[i]);

		if (strncmp(name, methods[i], n) == 0 &&
		    strncmp(name + n, "/api/", 5) == 0)
			return CALL_GENERIC;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strcmp(named[i].name, name) == 0)
			return named[i].call;
	}
	return CALL_UNKNOWN;
}
