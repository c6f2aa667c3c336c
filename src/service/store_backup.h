/* A consistent copy of the SQLite database while the service runs
 * (SQLite's online backup API), and putting such a copy into a new data
 * directory.  PostgreSQL has pg_dump for this (madoguchid(8)). */
#ifndef MADOGUCHID_STORE_BACKUP_H
#define MADOGUCHID_STORE_BACKUP_H

#include "store.h"

/* Copy the database as it stands at one instant into dest (a new file,
 * or one replaced whole: written beside it, then renamed), in rollback
 * journal mode so that it is one self-contained file.  Writers go on
 * meanwhile (WAL).  *bytes is its size.  STORE_OK, or another result
 * with *error (malloc'd). */
enum store_rc store_backup(struct store *, const char *dest,
    long long *bytes, char **error);
/* Check src (a file store_backup wrote) and copy it into data_dir,
 * which must not hold a database yet.  The caller then opens the store,
 * which brings an older schema up to date.  0, or -1 with *error. */
int store_restore(const char *data_dir, const char *src, char **error);
/* Remove the database store_restore wrote into data_dir (when the
 * store then refused it). */
void store_restore_undo(const char *data_dir);

#endif
