/* backup FILE and restore FILE: the SQLite database copied while the
 * service runs, and such a copy put into a new data directory.  Each
 * returns the process exit status (0 done, 1 failed, 2 usage). */
#ifndef MADOGUCHID_ADMIN_BACKUP_H
#define MADOGUCHID_ADMIN_BACKUP_H

#include "settings.h"

/* backup FILE [--json] */
int admin_backup(const struct settings *, int argc, char **argv);
/* restore FILE [--json]: into the configured data_dir, which must have
 * no database yet. */
int admin_restore(const struct settings *, int argc, char **argv);

#endif
