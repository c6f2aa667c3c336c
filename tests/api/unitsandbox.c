/* unitsandbox POLICY REPORT PROGRAM [ARG...]: run PROGRAM under the
 * seccomp filter that systemd builds from madoguchid.service, as far as
 * seccomp expresses it: SystemCallFilter=, RestrictAddressFamilies= and
 * MemoryDenyWriteExecute=.  This machine has no systemd as PID 1, so the
 * unit cannot be started as it will run; this runs the service under the
 * same filter instead (tests/api/sandbox_test.py).
 *
 * POLICY holds one rule a line:
 *   allow NAME     the system call NAME is allowed (names this
 *                  architecture lacks are skipped, as systemd does)
 *   family N       socket(2) is allowed for address family N only
 *   mdwe           no memory both writable and executable
 *
 * A call the filter refuses is not allowed to kill the program: as with
 * SystemCallErrorNumber=EPERM it fails with EPERM (EAFNOSUPPORT for a
 * refused address family, as systemd answers), and a supervisor
 * process, told of it by seccomp's user notification, appends one line
 * "NAME ARG0 ARG1 ARG2" to REPORT.  PROGRAM is exec'd in this process,
 * so its PID and signals are the caller's; the supervisor is a child
 * that ends when PROGRAM does. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#define MAX_FAMILIES 16

struct policy {
	char **allow;
	size_t nallow;
	int family[MAX_FAMILIES];
	size_t nfamily;
	bool mdwe;
};

static void die(const char *, int) __attribute__((noreturn));

static void
die(const char *what, int err)
{
	fprintf(stderr, "unitsandbox: %s: %s\n", what, strerror(err));
	exit(125);
}

static void
read_policy(const char *path, struct policy *p)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (f == NULL)
		die(path, errno);
	memset(p, 0, sizeof *p);
	while (fgets(line, sizeof line, f) != NULL) {
		char word[64];
		int n;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "allow %63s", word) == 1) {
			p->allow = realloc(p->allow,
			    (p->nallow + 1) * sizeof *p->allow);
			if (p->allow == NULL ||
			    (p->allow[p->nallow++] = strdup(word)) == NULL)
				die("policy", ENOMEM);
		} else if (sscanf(line, "family %d", &n) == 1 &&
		    p->nfamily < MAX_FAMILIES)
			p->family[p->nfamily++] = n;
		else if (strcmp(line, "mdwe") == 0)
			p->mdwe = true;
		else if (line[0] != '\0' && line[0] != '#') {
			fprintf(stderr, "unitsandbox: %s: bad line: %s\n",
			    path, line);
			exit(125);
		}
	}
	fclose(f);
}

/* Allow nr, with the conditions systemd puts on it. */
static int
add_rule(scmp_filter_ctx ctx, const struct policy *p, int nr)
{
	const uint64_t wx = PROT_WRITE | PROT_EXEC;
	int rc = 0;

	if (nr == SCMP_SYS(socket) && p->nfamily > 0) {
		for (size_t i = 0; i < p->nfamily && rc == 0; i++)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
			    SCMP_A0(SCMP_CMP_EQ, (uint64_t)p->family[i]));
		return rc;
	}
	if (p->mdwe && nr == SCMP_SYS(mmap)) {
		/* Anything but writable and executable at once. */
		uint64_t ok[] = { 0, PROT_WRITE, PROT_EXEC };

		for (size_t i = 0; i < 3 && rc == 0; i++)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
			    SCMP_A2(SCMP_CMP_MASKED_EQ, wx, ok[i]));
		return rc;
	}
	if (p->mdwe && (nr == SCMP_SYS(mprotect) ||
	    nr == SCMP_SYS(pkey_mprotect)))
		/* Nothing made executable after it was mapped. */
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (p->mdwe && nr == SCMP_SYS(shmat))
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, SHM_EXEC, 0));
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
}

/* Answer every refused call with systemd's error, and report it. */
static void
supervise(int notify_fd, const char *report, int family_refusal)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	FILE *out = fopen(report, "a");

	if (out == NULL)
		die(report, errno);
	setvbuf(out, NULL, _IOLBF, 0);
	if (seccomp_notify_alloc(&req, &resp) != 0)
		die("seccomp_notify_alloc", ENOMEM);
	for (;;) {
		struct pollfd pfd = { notify_fd, POLLIN, 0 };
		char *name;
		int rc;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll", errno);
		}
		/* POLLHUP: no process uses the filter any more. */
		if (!(pfd.revents & POLLIN))
			break;
		memset(req, 0, sizeof *req);
		if ((rc = seccomp_notify_receive(notify_fd, req)) != 0) {
			if (rc == -EINTR || rc == -ENOENT)
				continue;
			break;
		}
		name = seccomp_syscall_resolve_num_arch(req->data.arch,
		    req->data.nr);
		fprintf(out, "%s %#llx %#llx %#llx\n",
		    name != NULL ? name : "?",
		    (unsigned long long)req->data.args[0],
		    (unsigned long long)req->data.args[1],
		    (unsigned long long)req->data.args[2]);
		free(name);
		memset(resp, 0, sizeof *resp);
		resp->id = req->id;
		resp->error = req->data.nr == SCMP_SYS(socket) &&
		    family_refusal ? -EAFNOSUPPORT : -EPERM;
		/* The caller may have gone (a thread killed): nothing to
		 * answer then. */
		(void)seccomp_notify_respond(notify_fd, resp);
	}
	seccomp_notify_free(req, resp);
	fclose(out);
}

/* A one-byte message with room for one descriptor (SCM_RIGHTS). */
struct fd_message {
	struct msghdr msg;
	struct iovec iov;
	char byte;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
};

static void
fd_message_init(struct fd_message *m)
{
	memset(m, 0, sizeof *m);
	m->iov.iov_base = &m->byte;
	m->iov.iov_len = 1;
	m->msg.msg_iov = &m->iov;
	m->msg.msg_iovlen = 1;
	m->msg.msg_control = m->u.buf;
	m->msg.msg_controllen = sizeof m->u.buf;
}

/* Pass fd over the socket. */
static void
send_fd(int sock, int fd)
{
	struct fd_message m;
	struct cmsghdr *c;

	fd_message_init(&m);
	c = CMSG_FIRSTHDR(&m.msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	if (sendmsg(sock, &m.msg, 0) != 1)
		die("sendmsg", errno);
}

/* The fd passed over the socket, or -1 when the sender is gone. */
static int
recv_fd(int sock)
{
	struct fd_message m;
	struct cmsghdr *c;
	int fd;

	fd_message_init(&m);
	if (recvmsg(sock, &m.msg, 0) != 1 ||
	    (c = CMSG_FIRSTHDR(&m.msg)) == NULL || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

int
main(int argc, char **argv)
{
	struct policy p;
	scmp_filter_ctx ctx;
	int sv[2], notify_fd, rc;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: unitsandbox POLICY REPORT PROGRAM "
		    "[ARG...]\n");
		return 125;
	}
	read_policy(argv[1], &p);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair", errno);
	if ((pid = fork()) < 0)
		die("fork", errno);
	if (pid == 0) {
		/* The supervisor: not under the filter itself. */
		close(sv[0]);
		if ((notify_fd = recv_fd(sv[1])) < 0)
			_exit(0);
		close(sv[1]);
		supervise(notify_fd, argv[2], p.nfamily > 0);
		_exit(0);
	}
	close(sv[1]);

	/* SystemCallArchitectures=native: libseccomp's default. */
	if ((ctx = seccomp_init(SCMP_ACT_NOTIFY)) == NULL)
		die("seccomp_init", ENOMEM);
	for (size_t i = 0; i < p.nallow; i++) {
		int nr = seccomp_syscall_resolve_name(p.allow[i]);

		if (nr == __NR_SCMP_ERROR || nr < 0)
			continue;
		if ((rc = add_rule(ctx, &p, nr)) != 0) {
			fprintf(stderr, "unitsandbox: rule for %s: %s\n",
			    p.allow[i], strerror(-rc));
			return 125;
		}
	}
	if ((rc = seccomp_load(ctx)) != 0)
		die("seccomp_load", -rc);
	if ((notify_fd = seccomp_notify_fd(ctx)) < 0)
		die("seccomp_notify_fd", -notify_fd);
	send_fd(sv[0], notify_fd);
	close(notify_fd);
	close(sv[0]);
	seccomp_release(ctx);
	execvp(argv[3], argv + 3);
	die(argv[3], errno);
	return 125;
}
