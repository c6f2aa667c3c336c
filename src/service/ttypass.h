/* Reading a new password for the admin commands without it ever being
 * on a command line: from the terminal with echo off, typed twice, or
 * one line from stdin when stdin is not a terminal (scripts, tests). */
#ifndef MADOGUCHID_TTYPASS_H
#define MADOGUCHID_TTYPASS_H

/* 0 with *out (malloc'd, free with free_secret), or -1 with *error. */
int ttypass_read(char **out, char **error);

#endif
