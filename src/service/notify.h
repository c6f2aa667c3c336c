/* Telling the service manager how the service stands (systemd's
 * Type=notify, sd_notify(3)): ready once it listens, stopping once a
 * stop signal arrived.  Without NOTIFY_SOCKET (started by hand, or by
 * another supervisor) each call does nothing. */
#ifndef MADOGUCHID_NOTIFY_H
#define MADOGUCHID_NOTIFY_H

/* The service listens on port and answers requests. */
void notify_ready(unsigned short port);
/* A stop signal arrived: requests in flight are being finished. */
void notify_stopping(void);
/* A one-line status shown by systemctl status. */
void notify_status(const char *status);

#endif
