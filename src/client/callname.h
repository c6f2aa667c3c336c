/* The API calls a screen may name in `call=` and `load=`
 * (docs/screens.md): one of the client's named calls, or
 * "METHOD:/api/..." for a generic one.  Known here, in one place, so
 * that the screen loader checks a name without depending on the code
 * that makes the call (apicall.c). */
#ifndef MADOGUCHI_CALLNAME_H
#define MADOGUCHI_CALLNAME_H

enum callname {
	CALL_UNKNOWN,
	CALL_GENERIC,		/* "POST:/api/v1/registrations" */
	CALL_SESSION_CREATE,	/* "session.create": log in */
	CALL_SESSION_DELETE,	/* "session.delete": log out */
	CALL_SESSION_EXTEND,	/* "session.extend": 003 §2.6 [OK] */
	CALL_SESSION_LANG	/* "session.lang": the language of mails */
};

/* Which call name is. */
enum callname callname_parse(const char *name);

#endif
