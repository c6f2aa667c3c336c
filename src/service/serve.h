/* The serve subcommand: open the store, make sure there is a TLS
 * certificate, listen, and run until SIGINT or SIGTERM. */
#ifndef MADOGUCHID_SERVE_H
#define MADOGUCHID_SERVE_H

#include "settings.h"

/* Run the service; returns the exit status (0 after a clean stop). */
int serve_run(const struct settings *);

#endif
