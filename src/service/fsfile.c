/* Crash-safe file writes: the certificates, the port file, backups and
 * Maildir messages all go through here. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsfile.h"
#include "xmalloc.h"

/* See fsfile.h. */
int
fsfile_sync(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) |
	    O_CLOEXEC);
	int rc, saved;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* See fsfile.h. */
int
fsfile_sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	if (slash == NULL)
		return fsfile_sync(".", true);
	dir = slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
	rc = fsfile_sync(dir, true);
	free(dir);
	return rc;
}

/* See fsfile.h. */
int
fsfile_replace(const char *path, const void *data, size_t len, mode_t mode,
    char **error)
{
	const char *p = data;
	char *tmp;
	int fd;
	size_t off = 0;

	xasprintf(&tmp, "%s.tmp", path);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1) {
		xasprintf(error, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, p + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	/* fchmod: the umask may have taken bits from mode. */
	if (off != len || fchmod(fd, mode) != 0 || fsync(fd) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		fd = -1;
	}
	if (fd == -1 || close(fd) != 0 || rename(tmp, path) != 0) {
		xasprintf(error, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
