"""Each mail delivered once by several instances on one database (docs/api.md
"Several instances"): a worker takes mails by recording a claim on them
(their next attempt moves to the end of a lease, mail_lease), so three
instances emptying one queue deliver each mail once (and a mail delivered
again after a crash adds nothing to the Maildir); an instance killed
while it holds a claim leaves the mail to another once the lease ends;
the receipt reminders, queued by every instance's scheduler, go out once.
Runs on SQLite (three processes on one file) and on PostgreSQL."""

import os
import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Kawasaki#2025x"
DAY = 86400


def now_of(svc):
    """The services' clock: the real one plus the test clock's offset."""
    offset = 0
    if os.path.exists(svc.clock):
        with open(svc.clock) as f:
            offset = int(f.read().strip() or 0)
    return int(time.time()) + offset


def queue(svc, n, prefix):
    """n mails queued straight into the database, due now."""
    now = now_of(svc)
    for i in range(n):
        svc.sql("INSERT INTO mail_outbox (kind, recipient, lang, params,"
                " created_at, next_attempt_at) VALUES ('password_changed',"
                " ?, 'en', ?, ?, ?)", f"{prefix}{i}@example.jp",
                f'{{"user_id": "{prefix}{i}@example.jp"}}', now, now)


def all_mails(services, prefix):
    """{recipient: count} over every instance's outbox."""
    got = {}
    for s in services:
        for m in s.mails():
            to = str(m["To"])
            if to.startswith(prefix):
                got[to] = got.get(to, 0) + 1
    return got


def unsent(svc):
    return svc.sql("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL")[
        0][0]


def wait_for(pred, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.1)


class HangingSmtp(socketserver.ThreadingTCPServer):
    """An SMTP relay that takes the mail's data and never answers it: the
    worker delivering holds its claim until it is killed."""
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.data = threading.Event()
        super().__init__(("127.0.0.1", 0), HangingSmtpHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class HangingSmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 slow ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.split(b" ", 1)[0].strip().upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 slow\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                self.server.data.set()
                time.sleep(3600)
            else:
                self.wfile.write(b"250 ok\r\n")


class MailClaimTest(unittest.TestCase):
    def test_three_instances_deliver_each_mail_once(self):
        a = Service()
        b = Service(share=a)
        c = Service(share=a)
        services = [a, b, c]
        try:
            queue(a, 90, "claim")
            wait_for(lambda: unsent(a) == 0, "every mail sent")
            time.sleep(1.5)
            got = all_mails(services, "claim")
            self.assertEqual(len(got), 90, sorted(got))
            twice = {k: v for k, v in got.items() if v != 1}
            self.assertEqual(twice, {}, "delivered more than once")
            # More than one instance took part.
            busy = [s for s in services if any(
                str(m["To"]).startswith("claim") for m in s.mails())]
            self.assertGreaterEqual(len(busy), 2)
        finally:
            for s in services:
                self.assertEqual(s.stop(), 0)
                s.cleanup()

    def test_delivered_again_adds_nothing(self):
        """An instance that dies between delivering a mail to the
        Maildir and recording it leaves the row unsent: the next
        delivery finds the message there (its name is the mail's own)
        and adds none."""
        a = Service()
        try:
            queue(a, 1, "again")
            a.wait_mail("again0@example.jp")
            wait_for(lambda: unsent(a) == 0, "recorded")
            # As if the record (which also clears the params) had never
            # been written.
            a.sql("UPDATE mail_outbox SET sent_at = NULL,"
                  " next_attempt_at = 0, params = ?",
                  '{"user_id": "again0@example.jp"}')
            wait_for(lambda: unsent(a) == 0, "recorded again")
            time.sleep(1.5)
            self.assertEqual(len(a.mails("again0@example.jp")), 1)
        finally:
            self.assertEqual(a.stop(), 0)
            a.cleanup()

    def test_a_killed_instance_leaves_its_mail_to_another(self):
        smtp = HangingSmtp()
        port = smtp.server_address[1]
        a = Service([f"smtp_url = smtp://127.0.0.1:{port}",
                     "mail_lease = 300"])
        b = None
        try:
            queue(a, 1, "lease")
            # a takes it and hangs in the delivery; then it dies.
            self.assertTrue(smtp.data.wait(30), "no delivery began")
            a.proc.send_signal(signal.SIGKILL)
            a.proc.wait()
            b = Service(["mail_lease = 300"], share=a)
            # Within the lease, nobody else takes it.
            time.sleep(2.5)
            self.assertEqual(all_mails([b], "lease"), {})
            self.assertEqual(unsent(b), 1)
            # Past the lease, b delivers it, once.
            b.advance(301)
            b.wait_mail("lease0@example.jp")
            wait_for(lambda: unsent(b) == 0, "recorded")
            time.sleep(1.5)
            self.assertEqual(all_mails([b], "lease"),
                             {"lease0@example.jp": 1})
        finally:
            smtp.shutdown()
            smtp.server_close()
            if b is not None:
                self.assertEqual(b.stop(), 0)
                b.cleanup()
            a.log.close()
            a.cleanup()

    def test_reminders_once_across_instances(self):
        a = Service(["profile = immigration"])
        b = Service(["profile = immigration"], share=a)
        c = Service(["profile = immigration"], share=a)
        services = [a, b, c]
        try:
            r = subprocess.run(
                [os.environ["MADOGUCHID"], "--config", a.conf, "user-add",
                 "--name-latin", "NGUYEN VAN AN", "--category",
                 "foreign_national", "--email", "remind@example.jp"],
                input=PASSWORD + "\n", capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            user = re.search(r"user (\S+) created", r.stdout).group(1)
            for _ in range(3):
                r = subprocess.run([os.environ["MADOGUCHID"], "--config",
                                    a.conf, "certificate-issue", user],
                                   capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stderr)
            # A week on: three receipts due a reminder each, on every
            # instance's scheduler at once.
            a.advance(7 * DAY + 60)
            wait_for(lambda: sum(len(s.mails("remind@example.jp"))
                                 for s in services) >= 3, "reminders")
            time.sleep(3)
            total = sum(len(s.mails("remind@example.jp")) for s in services)
            self.assertEqual(total, 3)
            queued = a.sql("SELECT COUNT(*) FROM mail_outbox WHERE"
                           " kind = 'receipt_reminder'")[0][0]
            self.assertEqual(queued, 3)
        finally:
            for s in services:
                self.assertEqual(s.stop(), 0)
                s.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
