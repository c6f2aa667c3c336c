"""madoguchid under its unit's sandbox.  systemd-analyze checks the unit
offline (tests/lint/systemd_units.sh), but this machine has no systemd as
PID 1 to start it, and a system call the service needs that the unit's
SystemCallFilter= leaves out would only show once installed: a request
that fails with EPERM at a counter.  So this test builds the seccomp
filter systemd builds from systemd/madoguchid.service
(SystemCallFilter=, with the groups as this machine's systemd-analyze
lists them; RestrictAddressFamilies=; MemoryDenyWriteExecute=) and runs
the flows of other API tests with every service under it
(tests/api/unitsandbox.c): they must pass, and no call may be refused
apart from those listed below with the reason they do no harm."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
# The unit as built (systemd/madoguchid.service.in with the paths filled
# in), which the package installs.
UNIT = os.environ.get("MADOGUCHID_UNIT", "")

# Test modules whose services run sandboxed: between them every route,
# mail by Maildir and SMTP, sd_notify, SIGHUP, /metrics and the drain.
FLOWS = ["session_test", "registration_test", "recovery_test",
         "mypage_test", "notices_receipts_test", "mail_test",
         "operations_test", "drain_test"]
# On PostgreSQL what differs is the store's side (libpq on its Unix
# socket): the flows that write and read it most are enough there.
if os.environ.get("MADOGUCHI_DB") == "postgresql":
    FLOWS = ["session_test", "registration_test", "mypage_test"]

# Refused calls that do no harm, with why.  Anything else refused fails.
HARMLESS = {}
if os.geteuid() == 0:
    # SQLite gives a new WAL or journal file the database's owner, only
    # when it runs as root (os_unix.c, robustFchown), and ignores the
    # answer; the unit runs the service as its own user, where SQLite
    # makes no such call.
    HARMLESS["fchown"] = "SQLite as root only"


def unit_settings(path):
    """The [Service] settings of a unit file: name -> list of values, in
    order (a setting may be given several times)."""
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            key, _, value = line.partition("=")
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def syscall_groups():
    """systemd's groups of system calls: @name -> list of members (names
    and @groups), as `systemd-analyze syscall-filter` lists them."""
    text = subprocess.run(["systemd-analyze", "syscall-filter"],
                          capture_output=True, text=True, check=True).stdout
    groups, current = {}, None
    for line in text.splitlines():
        if line.startswith("@"):
            current = groups.setdefault(line.strip(), [])
        elif current is not None and line.strip() and \
                not line.strip().startswith("#"):
            current.append(line.strip())
    return groups


def expand(items, groups, seen=None):
    """The system call names that items (names and @groups) stand for."""
    seen = set() if seen is None else seen
    out = set()
    for item in items:
        if item.startswith("@"):
            if item in seen:
                continue
            seen.add(item)
            out |= expand(groups[item], groups, seen)
        else:
            out.add(item)
    return out


def unit_policy(settings, groups):
    """unitsandbox's policy lines for the unit, following systemd.exec(5):
    the first SystemCallFilter= that is not inverted makes an allow list
    (with @default, which systemd always adds to one); each later
    inverted one takes its calls out of it."""
    allowed = None
    for value in settings.get("SystemCallFilter", []):
        invert = value.startswith("~")
        names = expand(value.lstrip("~").split(), groups)
        if allowed is None:
            assert not invert, "the unit must give an allow list first"
            allowed = names | expand(["@default"], groups)
        elif invert:
            allowed -= names
        else:
            allowed |= names
    assert allowed, "the unit has no SystemCallFilter="
    lines = [f"allow {n}" for n in sorted(allowed)]
    for value in settings.get("RestrictAddressFamilies", []):
        for family in value.split():
            lines.append(f"family {int(getattr(socket, family))}")
    if settings.get("MemoryDenyWriteExecute", ["no"])[-1] == "yes":
        lines.append("mdwe")
    return lines, allowed


def write_policy(path):
    """Write unitsandbox's policy for the unit to path."""
    lines, _ = unit_policy(unit_settings(UNIT), syscall_groups())
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


class SandboxTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="madoguchid-sandbox.")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def test_policy_is_the_units(self):
        """The filter is read from the unit, not written here: the
        hardening settings this test relies on are in it, and the groups
        it names expand to the calls a service needs and not to the
        privileged ones it takes out."""
        settings = unit_settings(UNIT)
        _, allowed = unit_policy(settings, syscall_groups())
        for needed in ("read", "write", "epoll_wait", "accept4", "clone3",
                       "futex", "fsync", "rename", "getrandom"):
            self.assertIn(needed, allowed)
        for refused in ("ptrace", "mount", "setuid", "setrlimit",
                        "init_module", "reboot", "kexec_load"):
            self.assertNotIn(refused, allowed)
        self.assertEqual(settings["SystemCallErrorNumber"], ["EPERM"])

    def test_flows_under_the_units_filter(self):
        policy = os.path.join(self.work, "policy")
        report = os.path.join(self.work, "refused")
        write_policy(policy)
        open(report, "w").close()
        env = dict(os.environ)
        env["MADOGUCHI_SERVICE_WRAPPER"] = \
            f"{os.environ['UNITSANDBOX']} {policy} {report}"
        # LeakSanitizer inspects the process with ptrace at exit, which
        # the filter refuses; leaks are leak_test's and every other
        # test's concern, not this one's.
        env["LSAN_OPTIONS"] = env.get("LSAN_OPTIONS", "") + \
            ":detect_leaks=0"
        r = subprocess.run(
            [sys.executable, "-m", "unittest", *FLOWS], cwd=HERE, env=env,
            capture_output=True, text=True, timeout=900)
        with open(report) as f:
            refused = f.read().splitlines()
        self.assertEqual(r.returncode, 0,
                         "flows failed under the unit's filter:\n" +
                         r.stderr[-6000:] + "\nrefused calls:\n" +
                         "\n".join(sorted(set(refused))[:50]))
        self.assertRegex(r.stderr, r"Ran \d\d+ tests")
        # The wrapper really filtered: a call the policy leaves out is
        # reported (the test's own probe below).
        harmful = sorted({line for line in refused
                          if line.split()[0] not in HARMLESS})
        self.assertEqual(harmful, [], "calls the unit's filter refused "
                         "(name, first three arguments)")

    def test_the_sandbox_refuses_and_reports(self):
        """The wrapper is not a no-op: a call outside the policy fails
        with EPERM, a family outside it with EAFNOSUPPORT, and both are
        reported."""
        policy = os.path.join(self.work, "policy")
        report = os.path.join(self.work, "refused")
        write_policy(policy)
        probe = ("import ctypes, errno, os, socket\n"
                 "libc = ctypes.CDLL(None, use_errno=True)\n"
                 "r = libc.ptrace(0x10, os.getppid(), 0, 0)\n"
                 "print('ptrace', r, errno.errorcode[ctypes.get_errno()])\n"
                 "try:\n"
                 "    socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
                 "except OSError as e:\n"
                 "    print('socket', errno.errorcode[e.errno])\n"
                 "socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                 "print('inet ok')\n")
        r = subprocess.run([os.environ["UNITSANDBOX"], policy, report,
                            sys.executable, "-c", probe],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ptrace -1 EPERM", r.stdout)
        self.assertIn("socket EAFNOSUPPORT", r.stdout)
        self.assertIn("inet ok", r.stdout)
        with open(report) as f:
            text = f.read()
        self.assertRegex(text, r"(?m)^ptrace 0x10 ")
        self.assertRegex(text, r"(?m)^socket 0x11 ")


if __name__ == "__main__":
    if not os.access(os.environ.get("UNITSANDBOX", ""), os.X_OK):
        print("SKIP: tests/api/unitsandbox was not built (configure found "
              "no libseccomp; scripts/setup.sh installs libseccomp-dev)")
        sys.exit(77)
    if not os.path.exists(UNIT):
        print("SKIP: MADOGUCHID_UNIT (systemd/madoguchid.service, built by "
              "make) is not there")
        sys.exit(77)
    if shutil.which("systemd-analyze") is None:
        print("SKIP: no systemd-analyze (Debian package systemd)")
        sys.exit(77)
    # Seccomp's user notification needs Linux 5.5 (with POLLHUP 5.8) and
    # no other listener above this process (a container's supervisor):
    # without it there is no sandbox to test in, which is a SKIP, not a
    # pass.
    with tempfile.TemporaryDirectory() as d:
        write_policy(os.path.join(d, "policy"))
        r = subprocess.run([os.environ["UNITSANDBOX"],
                            os.path.join(d, "policy"),
                            os.path.join(d, "refused"), "true"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode == 125 and re.search(
                r"seccomp_(load|notify_fd): (Invalid argument|Function not "
                r"implemented|Device or resource busy|Operation not "
                r"supported)", r.stderr):
            print("SKIP: this kernel does not let a process supervise its "
                  "own seccomp filter: " + r.stderr.strip())
            sys.exit(77)
    unittest.main()
