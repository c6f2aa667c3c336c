/* Files that must survive a crash: written beside their place, synced,
 * then renamed into it, and the directory synced after. */
#ifndef MADOGUCHID_FSFILE_H
#define MADOGUCHID_FSFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* fsync a file (dir false) or a directory by path; 0 or -1 (errno). */
int fsfile_sync(const char *path, bool dir);
/* fsync the directory that holds path, so that a rename into it
 * survives a crash; 0 or -1 (errno). */
int fsfile_sync_parent(const char *path);
/* Replace path with len bytes of data, mode mode, atomically: PATH.tmp
 * written, synced and renamed over path.  0, or -1 with *error
 * (malloc'd) naming the file. */
int fsfile_replace(const char *path, const void *data, size_t len,
    mode_t mode, char **error);

#endif
