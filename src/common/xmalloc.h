/* Allocation that never returns NULL: on exhaustion the program stops
 * with a message (tmux xmalloc.c).  Multiplications are overflow-checked. */
#ifndef MADOGUCHI_XMALLOC_H
#define MADOGUCHI_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));
int xvasprintf(char **, const char *, va_list) __attribute__((format(printf, 2, 0)));

/* Free *pp and set it to NULL (neomutt FREE). */
void free_clear(void *pp);
/* Wipe a secret string in place, free it and set the pointer to NULL. */
void free_secret(char **pp);
/* Wipe len bytes that held a secret. */
void wipe(void *p, size_t len);

#endif
