/* The Maildir outbox (the default transport): one file per message,
 * written to tmp/, synced, then renamed into new/, where a person's mail
 * program (or a test) reads it.  https://cr.yp.to/proto/maildir.html */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fsfile.h"
#include "mail_transport.h"
#include "xmalloc.h"

/* Messages written by this process: the "counter" part of a unique
 * name.  Process-wide by nature (names must differ across threads). */
static atomic_uint mail_maildir_counter;

/* Create one directory if it is missing. */
static int
mail_maildir_mkdir(const char *path, char **error)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Create dir, dir/tmp, dir/new and dir/cur. */
int
mail_maildir_init(const char *dir, char **error)
{
	static const char *const subs[] = { "tmp", "new", "cur" };

	if (mail_maildir_mkdir(dir, error) != 0)
		return -1;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		char *path;
		int rc;

		xasprintf(&path, "%s/%s", dir, subs[i]);
		rc = mail_maildir_mkdir(path, error);
		free(path);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Maildir's unique name: time.pid_tid_counter.host, with the host's
 * '/' and ':' (which Maildir forbids) replaced. */
static char *
mail_maildir_name(long long now)
{
	char host[256], *name;

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	for (char *p = host; *p != '\0'; p++)
		if (*p == '/' || *p == ':')
			*p = '_';
	xasprintf(&name, "%lld.%ld_%ld_%u.%s", now, (long)getpid(),
	    (long)syscall(SYS_gettid),
	    atomic_fetch_add(&mail_maildir_counter, 1) + 1, host);
	return name;
}

/* Write all of buf to fd. */
static int
mail_maildir_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Is a message of this name in new/ or cur/ (where a reader moves it,
 * adding ":2,FLAGS")? */
static bool
mail_maildir_has(const char *dir, const char *name)
{
	size_t n = strlen(name);
	struct dirent *e;
	char *path;
	DIR *d;
	bool found;

	xasprintf(&path, "%s/new/%s", dir, name);
	found = access(path, F_OK) == 0;
	free(path);
	if (found)
		return true;
	xasprintf(&path, "%s/cur", dir);
	d = opendir(path);
	free(path);
	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL)
		found = strncmp(e->d_name, name, n) == 0 &&
		    (e->d_name[n] == '\0' || e->d_name[n] == ':');
	closedir(d);
	return found;
}

/* tmp/ → fsync → new/.  The name in new/ is the mail's own (its queue
 * row), so that delivering it again, after an instance died between
 * delivering it and recording so, finds it there and adds nothing: a
 * person gets each mail once. */
enum mail_sent
mail_maildir_deliver(const char *dir, long long id, long long created_at,
    const char *msg, size_t len, long long now, char **error)
{
	char *name, *tmp, *new, *newdir, *unique;
	enum mail_sent rc = MAIL_FAILED;
	int fd;

	xasprintf(&name, "%lld.Q%lld.madoguchid", created_at, id);
	if (mail_maildir_has(dir, name)) {
		free(name);
		return MAIL_SENT;
	}
	unique = mail_maildir_name(now);
	xasprintf(&tmp, "%s/tmp/%s", dir, unique);
	free(unique);
	xasprintf(&new, "%s/new/%s", dir, name);
	xasprintf(&newdir, "%s/new", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(error, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (mail_maildir_write(fd, msg, len) != 0 || fsync(fd) != 0) {
		xasprintf(error, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0) {
		xasprintf(error, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	/* link, not rename: it never replaces a message already there
	 * (another instance's delivery of the same mail). */
	if (link(tmp, new) != 0 && errno != EEXIST) {
		xasprintf(error, "%s: %s", new, strerror(errno));
		unlink(tmp);
		goto out;
	}
	unlink(tmp);
	if (fsfile_sync(newdir, true) != 0) {
		/* The message is in new/ all the same: delivered. */
		xasprintf(error, "%s: fsync: %s", newdir, strerror(errno));
	}
	rc = MAIL_SENT;
out:
	free(name);
	free(tmp);
	free(new);
	free(newdir);
	return rc;
}
