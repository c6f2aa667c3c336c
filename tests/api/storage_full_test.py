"""API tests of a full disk under the database (issue 9, "Memory and
storage faults"): people who are logged in keep reading while nothing can
be written, every change is answered 503 storage_full (never 500), a mail
delivered while its delivery cannot be recorded is not delivered again,
and all works again once there is space.

The disk is made full by tests/api/full_disk.so, preloaded into
madoguchid: while the flag file exists every write to the database or its
WAL fails with ENOSPC (or EDQUOT, when the file says "quota"), as on a
real full disk; the Maildir outbox and the log are written as usual.  The
tests themselves write to the database with Python's sqlite3, which is
not preloaded (a mail "queued before the disk filled").

SQLite only: the full disk is SQLite's own file system calls failing.
PostgreSQL's full disk is its server's (SQLSTATE 53100, mapped to the
same 503 by db_pg.c), which a test cannot make here without a file
system of its own for the cluster."""

import os
import socketserver
import sqlite3
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import ENGINE, ErrorAssertions, Service, user_add  # noqa: E402

if ENGINE != "sqlite":
    print("SKIP: the full disk is SQLite's file (see above)")
    sys.exit(77)

PASSWORD = "Madoguchi2025"
IM_PASSWORD = "Kawasaki#2025x"

def barrier(n):
    """A new address for each barrier mail (see barrier_rounds)."""
    return f"barrier-{n}@example.jp"


def full_disk_service(config_lines):
    """A madoguchid whose database disk is full while svc.flag exists."""
    flag_dir = os.environ.get("TMPDIR", "/tmp")
    env = dict(os.environ)
    env["LD_PRELOAD"] = os.environ["FULL_DISK_SO"]
    # ASan (configure --enable-sanitizers) insists on coming first; the
    # preloaded library allocates nothing, so the order does not matter.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                           ":verify_asan_link_order=0").lstrip(":")
    flag = os.path.join(flag_dir, f"madoguchid-full.{os.getpid()}."
                        f"{time.monotonic_ns()}")
    env["MADOGUCHI_FULL_DISK"] = flag
    svc = Service(config_lines, env=env)
    svc.flag = flag
    return svc


def fill(svc, kind=""):
    with open(svc.flag, "w") as f:
        f.write(kind)


def free(svc):
    if os.path.exists(svc.flag):
        os.remove(svc.flag)


def db_connect(svc):
    return sqlite3.connect(os.path.join(svc.dir, "madoguchid.sqlite"),
                           timeout=30)


def queue(svc, kind, recipient, params="{}"):
    """Queue a mail as a flow would have before the disk filled."""
    with open(svc.clock) if os.path.exists(svc.clock) else \
            open(os.devnull) as f:
        offset = int(f.read().strip() or 0)
    now = int(time.time()) + offset
    with db_connect(svc) as db:
        cur = db.execute(
            "INSERT INTO mail_outbox (kind, recipient, lang, params,"
            " created_at, next_attempt_at) VALUES (?, ?, 'en', ?, ?, ?)",
            (kind, recipient, params, now, now))
        return cur.lastrowid


def sent_at(svc, mail_id):
    with db_connect(svc) as db:
        return db.execute("SELECT sent_at FROM mail_outbox WHERE id = ?",
                          (mail_id,)).fetchone()[0]


def wait_for(pred, what, timeout=20):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


class Teardown:
    def tearDown(self):
        free(self.svc)
        try:
            self.assertEqual(self.svc.stop(), 0)
        finally:
            self.svc.cleanup()


class ReadsTest(Teardown, ErrorAssertions, unittest.TestCase):
    def setUp(self):
        self.svc = full_disk_service(["profile = immigration"])
        self.user_id = user_add(self.svc, [
            "--name-latin", "NGUYEN VAN AN", "--category",
            "foreign_national", "--email", "an@example.jp"],
            IM_PASSWORD + "\n")[0]

    def login(self, password=IM_PASSWORD):
        return self.svc.request("POST", "/api/v1/session",
                                {"user_id": self.user_id,
                                 "password": password})

    def test_reads_work_while_writes_fail(self):
        svc = self.svc
        status, _, body = self.login()
        self.assertEqual(status, 201, body)
        token = body["token"]
        fill(svc)
        # Each read comes more than a minute after the last: each would
        # move the idle deadline, and none can write it.
        expires = []
        for _ in range(12):
            svc.advance(61)
            status, _, me = svc.request("GET", "/api/v1/me", token=token)
            self.assertEqual(status, 200, me)
            self.assertEqual(me["user_id"], self.user_id)
            expires.append(me["expires_at"])
            status, _, page = svc.request("GET", "/api/v1/me/receipts",
                                          token=token)
            self.assertEqual(status, 200, page)
            status, _, sess = svc.request("GET", "/api/v1/session",
                                          token=token)
            self.assertEqual(status, 200, sess)
        # The deadline in force is the one last written, and said so.
        self.assertEqual(set(expires), {expires[0]})
        self.assertEqual(sess["expires_at"], expires[0])

        # Every change: 503 storage_full, in docs/api.md's shape.
        changes = [
            ("PATCH", "/api/v1/me", {"phone": "0312345678"}, token),
            ("POST", "/api/v1/session/extend", None, token),
            ("PATCH", "/api/v1/session", {"lang": "en"}, token),
            ("DELETE", "/api/v1/session", None, token),
            ("POST", "/api/v1/session",
             {"user_id": self.user_id, "password": IM_PASSWORD}, None),
            # A wrong password that cannot be counted is not answered
            # either: no guessing past the lock-out while the disk is full.
            ("POST", "/api/v1/session",
             {"user_id": self.user_id, "password": "Wrong#2025xx"}, None),
            ("POST", "/api/v1/registrations",
             {"email": "new@example.jp", "email_confirm": "new@example.jp"},
             None),
        ]
        for method, path, body, tok in changes:
            with self.subTest(method=method, path=path):
                err = self.assertError(svc.request(method, path, body,
                                                   token=tok),
                                       503, "storage_full")
                self.assertEqual(err["params"], {})
        # The reads still work after the failed changes.
        self.assertEqual(svc.request("GET", "/api/v1/me",
                                     token=token)[0], 200)

        # Space again: the deadline moves, changes land.
        free(svc)
        status, _, me = svc.request("GET", "/api/v1/me", token=token)
        self.assertEqual(status, 200, me)
        self.assertGreater(me["expires_at"], expires[0])
        status, _, me = svc.request("PATCH", "/api/v1/me",
                                    {"phone": "0312345678"}, token=token)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["details"]["phone"], "0312345678")
        self.assertEqual(self.login()[0], 201)

    def test_deadline_written_at_most_once_a_minute(self):
        # With space: activity within a minute of the last written
        # deadline leaves it (no write); after that it moves; extending
        # always writes.
        svc = self.svc
        start = int(time.time())

        def at(seconds):
            # The service's clock, stopped (test_clock_file "@N").
            with open(svc.clock + ".tmp", "w") as f:
                f.write(f"@{start + seconds}")
            os.replace(svc.clock + ".tmp", svc.clock)

        at(0)
        status, _, body = self.login()
        self.assertEqual(status, 201, body)
        token, first = body["token"], body["expires_at"]
        self.assertEqual(first, start + body["idle_timeout"])
        at(30)
        status, _, me = svc.request("GET", "/api/v1/me", token=token)
        self.assertEqual((status, me["expires_at"]), (200, first))
        at(61)
        status, _, me = svc.request("GET", "/api/v1/me", token=token)
        self.assertEqual((status, me["expires_at"]), (200, first + 61))
        at(71)
        status, _, ext = svc.request("POST", "/api/v1/session/extend",
                                     token=token)
        self.assertEqual((status, ext["expires_at"]), (200, first + 71))
        # While full, the deadline stays where it was last written.
        fill(svc)
        at(191)
        status, _, me = svc.request("GET", "/api/v1/me", token=token)
        self.assertEqual((status, me["expires_at"]), (200, first + 71))

    def test_over_quota_is_storage_full_too(self):
        # EDQUOT is an I/O error to SQLite, but a full disk all the same.
        svc = self.svc
        status, _, body = self.login()
        self.assertEqual(status, 201, body)
        fill(svc, "quota")
        svc.advance(61)
        self.assertEqual(svc.request("GET", "/api/v1/me",
                                     token=body["token"])[0], 200)
        self.assertError(self.login(), 503, "storage_full")
        self.assertError(svc.request("PATCH", "/api/v1/me",
                                     {"phone": "0312345678"},
                                     token=body["token"]),
                         503, "storage_full")

    def test_session_ends_even_when_it_cannot_be_deleted(self):
        svc = self.svc
        status, _, body = self.login()
        self.assertEqual(status, 201, body)
        fill(svc)
        svc.advance(body["idle_timeout"] + 1)
        self.assertError(svc.request("GET", "/api/v1/me",
                                     token=body["token"]),
                         401, "session_expired")
        self.assertError(svc.request("GET", "/api/v1/session",
                                     token=body["token"]),
                         401, "session_expired")


class MaildirTest(Teardown, unittest.TestCase):
    """The outbox is writable (another filesystem); the database is full.
    A worker takes a mail by recording a claim on it (store_outbox_claim,
    for several instances): while nothing can be recorded, nothing is
    taken, so nothing is delivered twice, and the worker says so once a
    minute, not every round."""

    def setUp(self):
        self.svc = full_disk_service(["mail_retry = 60"])

    def test_nothing_taken_while_nothing_can_be_recorded(self):
        svc = self.svc
        fill(svc)
        mid = queue(svc, "password_changed", "once@example.jp",
                    '{"user_id": "once@example.jp"}')
        # Several retry periods go by while it is full.
        for _ in range(4):
            time.sleep(1.2)
            svc.advance(61)
        time.sleep(1.2)
        self.assertEqual(len(svc.mails("once@example.jp")), 0)
        self.assertIsNone(sent_at(svc, mid))
        log = svc.read_log()
        warned = log.count("mail: cannot take mail from the queue")
        self.assertGreaterEqual(warned, 1, log[-3000:])
        self.assertLessEqual(warned, 2, log[-3000:])

        # Space again: delivered once, and recorded.
        free(svc)
        svc.wait_mail("once@example.jp")
        wait_for(lambda: sent_at(svc, mid) is not None, "sent_at")
        time.sleep(2.5)
        svc.advance(3600)
        time.sleep(2.5)
        self.assertEqual(len(svc.mails("once@example.jp")), 1)


class RefusingSmtp(socketserver.ThreadingTCPServer):
    """An SMTP relay that takes mail for everyone but one address, which
    it refuses for now (451) as a relay that is out of space would.  With
    on_mail set, it calls on_mail(address) as each mail arrives or is
    refused: the tests fill the database's disk there, after the worker
    recorded its claim and before it can record what became of it."""
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, refused, on_mail=None):
        self.refused = refused
        self.on_mail = on_mail
        self.received = []
        self.refusals = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), RefusingSmtpHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class RefusingSmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server = self.server
        self.reply("220 fake ESMTP")
        rcpt = None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("ascii", "replace").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake")
                self.reply("250 8BITMIME")
            elif verb == "RCPT":
                rcpt = cmd
                if server.refused in cmd:
                    with server.lock:
                        server.refusals += 1
                    if server.on_mail:
                        server.on_mail(cmd)
                    self.reply("451 try again later")
                else:
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                with server.lock:
                    server.received.append(rcpt)
                if server.on_mail:
                    server.on_mail(rcpt)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class SmtpTest(Teardown, unittest.TestCase):
    """The database fills while a mail is on its way: what became of it
    cannot be recorded.  A delivered mail is held in memory and never
    delivered again, a refused one is not tried again before its
    backoff; both are recorded once there is space."""

    def setUp(self):
        self.smtp = RefusingSmtp("later@example.jp",
                                 on_mail=lambda _: fill(self.svc))
        port = self.smtp.server_address[1]
        self.svc = full_disk_service([f"smtp_url = smtp://127.0.0.1:{port}",
                                      "mail_retry = 60"])

    def tearDown(self):
        self.smtp.shutdown()
        self.smtp.server_close()
        super().tearDown()

    def received(self, address):
        with self.smtp.lock:
            return sum(address in r for r in self.smtp.received)

    def test_delivered_once_while_it_cannot_be_recorded(self):
        svc = self.svc
        once = queue(svc, "password_changed", "once@example.jp",
                     '{"user_id": "once@example.jp"}')
        wait_for(lambda: self.received("once@example.jp") >= 1, "delivery")
        wait_for(lambda: f"mail {once}: delivered, but not recorded" in
                 svc.read_log(), "the hold")
        self.assertIsNone(sent_at(svc, once))
        # Past its claim's lease and several retry periods, still full.
        for _ in range(3):
            time.sleep(1.2)
            svc.advance(700)
        self.assertEqual(self.received("once@example.jp"), 1)
        # Space again: the delivery is recorded, not made again.
        free(svc)
        svc.advance(61)
        wait_for(lambda: sent_at(svc, once) is not None, "sent_at")
        self.assertIn(f"mail {once}: delivery recorded", svc.read_log())
        time.sleep(2.5)
        self.assertEqual(self.received("once@example.jp"), 1)

    def test_no_attempt_faster_than_the_backoff(self):
        svc = self.svc
        later = queue(svc, "password_changed", "later@example.jp",
                      '{"user_id": "later@example.jp"}')
        wait_for(lambda: self.smtp.refusals >= 1, "the first attempt")
        wait_for(lambda: f"mail {later}: cannot record the failure" in
                 svc.read_log(), "the unrecorded failure")
        # Space again at once: the failure is recorded with its backoff,
        # and the mail is not tried again before it.
        free(svc)
        for _ in range(3):
            time.sleep(1.2)
            svc.advance(10)
        self.assertEqual(self.smtp.refusals, 1)
        svc.advance(60)
        wait_for(lambda: self.smtp.refusals >= 2, "the retry")


if __name__ == "__main__":
    unittest.main(verbosity=2)
