/* sd_notify messages for systemd's Type=notify. */
#include "config.h"

#include <stdio.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "notify.h"

/* Send one message; a failure is logged, never fatal: the service
 * works the same whether or not anyone listens. */
static void
notify_send(const char *msg)
{
	int rc = sd_notify(0, msg);

	if (rc < 0)
		log_warn("cannot notify the service manager (%d)", rc);
}

/* READY=1 with the port in the status line. */
void
notify_ready(unsigned short port)
{
	char msg[96];

	snprintf(msg, sizeof msg, "READY=1\nSTATUS=listening on port %u",
	    (unsigned int)port);
	notify_send(msg);
}

/* STOPPING=1: systemd then waits TimeoutStopSec for the exit. */
void
notify_stopping(void)
{
	notify_send("STOPPING=1\nSTATUS=stopping");
}

/* STATUS=... */
void
notify_status(const char *status)
{
	char msg[256];

	snprintf(msg, sizeof msg, "STATUS=%s", status);
	notify_send(msg);
}
