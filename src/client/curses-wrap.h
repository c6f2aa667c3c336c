/* The one place curses is included from (htop ProvideCurses.h): the wide
 * functions (get_wch, add_wch, addnwstr) need _XOPEN_SOURCE_EXTENDED
 * before <curses.h>, and configure has link-tested them. */
#ifndef MADOGUCHI_CURSES_WRAP_H
#define MADOGUCHI_CURSES_WRAP_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>
#include <term.h>

#endif
