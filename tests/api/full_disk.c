/* A full disk for API tests (tests/api/storage_full_test.py), preloaded
 * into madoguchid with LD_PRELOAD.  While the file named by the
 * environment variable MADOGUCHI_FULL_DISK exists, every write to the
 * database or its WAL (a file whose name ends in ".sqlite",
 * ".sqlite-wal" or ".sqlite-journal") fails with ENOSPC, which is what
 * write(2) answers on a full disk and what SQLite turns into
 * SQLITE_FULL; when the file holds "quota", they fail with EDQUOT, as
 * over a disk quota, which SQLite reports as an I/O error.  Everything
 * else (the Maildir outbox, the log) is written as usual, as when the
 * outbox is on another filesystem.
 *
 * A real full disk cannot be made without privileges, and SQLite's
 * max_page_count only refuses writes that grow the database: an UPDATE
 * in place (a session's idle deadline, a mail marked sent) still lands
 * in the WAL, where a full disk refuses it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Whether name ends with suffix. */
static bool
full_disk_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n >= s && strcmp(name + n - s, suffix) == 0;
}

/* The errno a write to fd must fail with now, or 0: the flag file
 * exists and fd is the database or its WAL or journal. */
static int
full_disk_refuses(int fd)
{
	const char *flag = getenv("MADOGUCHI_FULL_DISK");
	char link[64], path[4096], kind[8] = "";
	ssize_t n;
	FILE *f;

	if (flag == NULL || (f = fopen(flag, "r")) == NULL)
		return 0;
	if (fgets(kind, sizeof kind, f) == NULL)
		kind[0] = '\0';
	fclose(f);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) <= 0)
		return 0;
	path[n] = '\0';
	if (!full_disk_ends(path, ".sqlite") &&
	    !full_disk_ends(path, ".sqlite-wal") &&
	    !full_disk_ends(path, ".sqlite-journal"))
		return 0;
	return strncmp(kind, "quota", 5) == 0 ? EDQUOT : ENOSPC;
}

/* The next definition of a function, looked up once. */
static void *
full_disk_next(void **slot, const char *name)
{
	void *fn = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (fn == NULL) {
		fn = dlsym(RTLD_NEXT, name);
		__atomic_store_n(slot, fn, __ATOMIC_RELEASE);
	}
	return fn;
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	static void *next;
	int e;
	ssize_t (*fn)(int, const void *, size_t);

	if ((e = full_disk_refuses(fd)) != 0) {
		errno = e;
		return -1;
	}
	*(void **)&fn = full_disk_next(&next, "write");
	return fn(fd, buf, len);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	static void *next;
	int e;
	ssize_t (*fn)(int, const void *, size_t, off_t);

	if ((e = full_disk_refuses(fd)) != 0) {
		errno = e;
		return -1;
	}
	*(void **)&fn = full_disk_next(&next, "pwrite");
	return fn(fd, buf, len, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	static void *next;
	int e;
	ssize_t (*fn)(int, const void *, size_t, off64_t);

	if ((e = full_disk_refuses(fd)) != 0) {
		errno = e;
		return -1;
	}
	*(void **)&fn = full_disk_next(&next, "pwrite64");
	return fn(fd, buf, len, off);
}
