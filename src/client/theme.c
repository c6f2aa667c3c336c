/* Colour schemes and monochrome. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "theme.h"

/* Foreground and background of each role in one scheme; -1 is the
 * terminal's own default colour. */
struct theme_colours {
	short fg, bg;
};

struct theme_scheme {
	const char *name;
	struct theme_colours role[THEME__COUNT];
};

/* 003 §1.5 ⑨: [標準], [青], [黄], [黒].  "black" is the high-contrast
 * scheme: white and yellow on black only. */
static const struct theme_scheme theme_schemes[] = {
	{ "standard", {
		[THEME_NORMAL] = { -1, -1 },
		[THEME_TITLE] = { COLOR_WHITE, COLOR_BLUE },
		[THEME_FOCUS] = { COLOR_BLACK, COLOR_CYAN },
		[THEME_FIELD] = { -1, -1 },
		[THEME_ERROR] = { COLOR_RED, -1 },
		[THEME_KEY] = { COLOR_BLACK, COLOR_WHITE },
		[THEME_MARK] = { COLOR_BLUE, -1 },
	} },
	{ "blue", {
		[THEME_NORMAL] = { COLOR_WHITE, COLOR_BLUE },
		[THEME_TITLE] = { COLOR_BLUE, COLOR_WHITE },
		[THEME_FOCUS] = { COLOR_BLACK, COLOR_CYAN },
		[THEME_FIELD] = { COLOR_WHITE, COLOR_BLUE },
		[THEME_ERROR] = { COLOR_YELLOW, COLOR_BLUE },
		[THEME_KEY] = { COLOR_BLUE, COLOR_WHITE },
		[THEME_MARK] = { COLOR_YELLOW, COLOR_BLUE },
	} },
	{ "yellow", {
		[THEME_NORMAL] = { COLOR_BLACK, COLOR_YELLOW },
		[THEME_TITLE] = { COLOR_YELLOW, COLOR_BLACK },
		[THEME_FOCUS] = { COLOR_WHITE, COLOR_BLACK },
		[THEME_FIELD] = { COLOR_BLACK, COLOR_YELLOW },
		[THEME_ERROR] = { COLOR_RED, COLOR_YELLOW },
		[THEME_KEY] = { COLOR_YELLOW, COLOR_BLACK },
		[THEME_MARK] = { COLOR_BLACK, COLOR_YELLOW },
	} },
	{ "black", {
		[THEME_NORMAL] = { COLOR_WHITE, COLOR_BLACK },
		[THEME_TITLE] = { COLOR_BLACK, COLOR_WHITE },
		[THEME_FOCUS] = { COLOR_BLACK, COLOR_YELLOW },
		[THEME_FIELD] = { COLOR_WHITE, COLOR_BLACK },
		[THEME_ERROR] = { COLOR_YELLOW, COLOR_BLACK },
		[THEME_KEY] = { COLOR_BLACK, COLOR_WHITE },
		[THEME_MARK] = { COLOR_YELLOW, COLOR_BLACK },
	} },
};
#define THEME_NSCHEMES (sizeof theme_schemes / sizeof theme_schemes[0])

/* What every role has whatever the colours, so that monochrome (and a
 * person who cannot tell the colours apart) still sees it. */
static const attr_t theme_mono[THEME__COUNT] = {
	[THEME_NORMAL] = A_NORMAL,
	[THEME_TITLE] = A_REVERSE,
	[THEME_FOCUS] = A_REVERSE | A_BOLD,
	[THEME_FIELD] = A_NORMAL,
	[THEME_ERROR] = A_BOLD,
	[THEME_KEY] = A_REVERSE,
	[THEME_MARK] = A_BOLD,
};

/* Whether colour is on and which scheme is chosen: a mirror of the
 * colour pairs curses keeps, which are global to the terminal anyway. */
static struct {
	bool colour;
	size_t scheme;
} theme_state;

/* Load the chosen scheme's colours into the colour pairs. */
static void
theme_load(void)
{
	const struct theme_scheme *s = &theme_schemes[theme_state.scheme];

	if (!theme_state.colour)
		return;
	for (int r = 0; r < THEME__COUNT; r++)
		init_pair((short)(r + 1), s->role[r].fg, s->role[r].bg);
	bkgd(' ' | theme_attr(THEME_NORMAL));
}

void
theme_init(void)
{
	const char *no_colour = getenv("NO_COLOR");

	/* no-color.org: any non-empty NO_COLOR means no colour. */
	theme_state.colour = has_colors() &&
	    (no_colour == NULL || *no_colour == '\0') &&
	    start_color() == OK && COLOR_PAIRS > THEME__COUNT;
	if (theme_state.colour)
		use_default_colors();
	theme_load();
}

bool
theme_has_colour(void)
{
	return theme_state.colour;
}

bool
theme_valid(const char *name)
{
	for (size_t i = 0; i < THEME_NSCHEMES; i++) {
		if (strcmp(theme_schemes[i].name, name) == 0)
			return true;
	}
	return false;
}

bool
theme_use(const char *name)
{
	for (size_t i = 0; i < THEME_NSCHEMES; i++) {
		if (strcmp(theme_schemes[i].name, name) == 0) {
			theme_state.scheme = i;
			theme_load();
			return true;
		}
	}
	return false;
}

const char *
theme_current(void)
{
	return theme_schemes[theme_state.scheme].name;
}

attr_t
theme_attr(enum theme_role role)
{
	const struct theme_colours *c =
	    &theme_schemes[theme_state.scheme].role[role];
	attr_t a = theme_mono[role];

	if (!theme_state.colour)
		return a;
	/* With colour the focus needs no reverse: its colours differ from
	 * the screen's; it stays bold so it is seen without colour too. */
	if (role == THEME_FOCUS || role == THEME_TITLE || role == THEME_KEY)
		a &= ~A_REVERSE;
	/* The terminal's own colours are no colour pair at all: curses
	 * would otherwise set the pair before every changed cell and reset
	 * it after (a typed character would cost the terminal 30 bytes). */
	if (c->fg == -1 && c->bg == -1)
		return a;
	return a | COLOR_PAIR(role + 1);
}
