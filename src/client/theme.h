/* Colour schemes (SPEC P3, 003 §1.5 ⑨: standard, blue, yellow, black)
 * and the monochrome rendering for terminals without colour or with
 * NO_COLOR set.  Drawing asks for a role's attributes, never a colour:
 * every role also carries a non-colour attribute (reverse, bold), so
 * focus and errors stay visible in monochrome, and nothing blinks. */
#ifndef MADOGUCHI_THEME_H
#define MADOGUCHI_THEME_H

#include <stdbool.h>

#include "curses-wrap.h"

enum theme_role {
	THEME_NORMAL,		/* text and the screen's background */
	THEME_TITLE,		/* the title bar */
	THEME_FOCUS,		/* the focused field or button */
	THEME_FIELD,		/* an input box that has no focus */
	THEME_ERROR,		/* error marks and messages */
	THEME_KEY,		/* a key's name in the key bar */
	THEME_MARK,		/* focus and scroll marks */
	THEME__COUNT
};

/* Start colour if the terminal has it and NO_COLOR is not set. */
void theme_init(void);
/* True when colours are in use (not monochrome). */
bool theme_has_colour(void);
/* Use scheme name ("standard", "blue", "yellow", "black"); false for an
 * unknown name.  In monochrome the choice is remembered but shows as
 * monochrome. */
bool theme_use(const char *name);
/* True if name is a scheme. */
bool theme_valid(const char *name);
/* The scheme in use. */
const char *theme_current(void);
/* The attributes to draw a role with. */
attr_t theme_attr(enum theme_role);

#endif
