"""API tests of mail delivery: the Maildir outbox as a mail program reads
it, mails in the person's language, header injection, failed rows kept,
params cleared after delivery, the receipt reminder schedule of 003 §1.4,
and the SMTP transport with retries and a restart while the relay is
down."""

import email
import email.policy
import email.utils
import os
import re
import socket
import socketserver
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi2025!"
DAY = 86400
BARRIER = "barrier@example.jp"


def clock_offset(svc):
    if not os.path.exists(svc.clock):
        return 0
    with open(svc.clock) as f:
        return int(f.read().strip() or 0)


def service_now(svc):
    return int(time.time()) + clock_offset(svc)


def queue(svc, kind, recipient, lang="en", params="{}", at=None):
    """Queue a mail as a flow would (a row in mail_outbox); its id."""
    now = service_now(svc) if at is None else at
    ((mail_id,),) = svc.sql(
        "INSERT INTO mail_outbox (kind, recipient, lang, params,"
        " created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)"
        " RETURNING id", kind, recipient, lang, params, now, now)
    return mail_id


def outbox_row(svc, mail_id):
    rows = svc.sql(
        "SELECT attempts, sent_at, params, last_error, next_attempt_at"
        " FROM mail_outbox WHERE id = ?", mail_id)
    return rows[0] if rows else None


def sync(svc):
    """Wait until the worker has run a whole round at the current service
    time: a mail due now is sent only by a round whose reminders were
    queued as of now or later (mail.c takes one "now" per round)."""
    have = len(svc.mails(BARRIER))
    queue(svc, "registration_exists", BARRIER)
    svc.wait_mail(BARRIER, have + 1)


def run(svc, *args, stdin=None):
    return subprocess.run([os.environ["MADOGUCHID"], "--config", svc.conf,
                           *args], input=stdin, capture_output=True,
                          text=True)


def mail_list(svc):
    r = run(svc, "mail-list")
    assert r.returncode == 0, r.stderr
    rows = {}
    for line in r.stdout.splitlines():
        cols = line.split("\t")
        rows[int(cols[0])] = cols
    return rows


def wait_for(pred, what, timeout=15):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


class MaildirTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration",
                           "service_name = 在留申請オンラインシステム",
                           "mail_from = 送信専用 <no-reply@example.go.jp>"])
        cls.ids = {}
        for name, mail, lang in (("NGUYEN VAN AN", "an@example.jp", "en"),
                                 ("YAMADA HANAKO", "hanako@example.jp",
                                  "ja")):
            # immigration: the service issues the user ID (003 §3 step 8).
            r = run(cls.svc, "user-add", "--name-latin", name, "--category",
                    "foreign_national", "--email", mail, "--lang", lang,
                    stdin=PASSWORD + "\n")
            assert r.returncode == 0, r.stderr
            cls.ids[mail] = re.search(r"user (\S+) created",
                                      r.stdout).group(1)

    @classmethod
    def tearDownClass(cls):
        status = cls.svc.stop()
        assert status == 0, f"madoguchid exited {status} on SIGTERM"
        cls.svc.cleanup()

    def issue(self, user_id, number=None):
        args = ["certificate-issue", user_id]
        if number:
            args += ["--number", number]
        r = run(self.svc, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def login(self, user_id):
        status, _, body = self.svc.request(
            "POST", "/api/v1/session", {"user_id": user_id,
                                        "password": PASSWORD})
        self.assertEqual(status, 201, body)
        return body["token"]

    def test_01_reminders_follow_the_clock(self):
        svc = self.svc
        an = self.ids["an@example.jp"]
        number = self.issue(an)
        # 003 §5: 18 digits, the issue time to the minute and more.
        self.assertRegex(number, r"^\d{18}$")
        ja_number = self.issue(self.ids["hanako@example.jp"],
                               "202507231500000001")
        sync(svc)
        self.assertEqual(svc.mails("an@example.jp"), [])

        svc.advance(6 * DAY)
        sync(svc)
        self.assertEqual(svc.mails("an@example.jp"), [])

        svc.advance(1 * DAY + 60)
        got = svc.wait_mail("an@example.jp", 1)
        sync(svc)
        self.assertEqual(len(svc.mails("an@example.jp")), 1)
        self.assertIn(number, Service.body(got[0]))
        ja = svc.wait_mail("hanako@example.jp", 1)

        # English for the English user...
        msg = got[0]
        self.assertEqual(str(msg["Subject"]),
                         "[在留申請オンラインシステム] Please register "
                         "receipt of your certificate")
        text = Service.body(msg)
        self.assertIn("Dear NGUYEN VAN AN,", text)
        self.assertIn("send-only", text)
        self.assertIn("在留申請オンラインシステム", text)
        # ISO-like dates outside Japanese, in the service's zone.
        self.assertRegex(text, r"Issued at: \d{4}-\d\d-\d\d \d\d:\d\d "
                               r"\(JST\)")
        # ... Japanese for the Japanese one (003 §1.4, 000 ④).
        msg = ja[0]
        self.assertEqual(str(msg["Subject"]),
                         "【在留申請オンラインシステム】在留資格認定証明書の"
                         "受領登録のお願い")
        text = Service.body(msg)
        self.assertIn("YAMADA HANAKO 様", text)
        self.assertIn(ja_number, text)
        self.assertIn("このメールアドレスは送信専用です", text)
        self.assertRegex(text, r"発行日時：\d{4}年\d{1,2}月\d{1,2}日 "
                               r"\d{1,2}時\d\d分")

        # Another 7 days, another reminder; a jump of several intervals
        # gives one, not a burst.
        svc.advance(7 * DAY)
        svc.wait_mail("an@example.jp", 2)
        svc.advance(21 * DAY)
        svc.wait_mail("an@example.jp", 3)
        sync(svc)
        self.assertEqual(len(svc.mails("an@example.jp")), 3)

        # Registered: no more reminders for it; the other goes on.
        token = self.login(an)
        status, _, body = svc.request(
            "POST", f"/api/v1/me/receipts/{number}/register", token=token)
        self.assertEqual(status, 200, body)
        before_ja = len(svc.mails("hanako@example.jp"))
        svc.advance(8 * DAY)
        svc.wait_mail("hanako@example.jp", before_ja + 1)
        sync(svc)
        self.assertEqual(len(svc.mails("an@example.jp")), 3)

        # 3 months after issue: no more reminders at all.
        svc.advance(60 * DAY)
        sync(svc)
        count_ja = len(svc.mails("hanako@example.jp"))
        svc.advance(8 * DAY)
        sync(svc)
        svc.advance(8 * DAY)
        sync(svc)
        self.assertEqual(len(svc.mails("hanako@example.jp")), count_ja)

    def test_02_maildir_layout_and_headers(self):
        svc = self.svc
        mid = queue(svc, "registration_complete", "ana@example.jp", "en",
                    '{"name": "SANTOS ANA", "user_id": "ana"}')
        got = svc.wait_mail("ana@example.jp", 1)
        for sub in ("tmp", "new", "cur"):
            self.assertTrue(os.path.isdir(os.path.join(svc.mail_dir, sub)))
        # Maildir: nothing left half-written in tmp/.
        self.assertEqual(os.listdir(os.path.join(svc.mail_dir, "tmp")), [])
        names = os.listdir(os.path.join(svc.mail_dir, "new"))
        self.assertEqual(len(names), len(set(names)))
        for name in names:
            # time.Qid.madoguchid: the queued mail's own name, so that
            # delivering it again adds nothing (docs/api.md "Mails").
            self.assertRegex(name, r"^\d+\.Q\d+\.madoguchid$")
            with open(os.path.join(svc.mail_dir, "new", name), "rb") as f:
                raw = f.read()
            head = raw.split(b"\r\n\r\n", 1)[0]
            for line in raw.split(b"\r\n")[:-1]:
                self.assertNotIn(b"\n", line)       # CRLF only
                self.assertLessEqual(len(line), 78)
            self.assertEqual(head.count(b"\nFrom:") + head.startswith(
                b"From:"), 1)
        msg = got[0]
        self.assertEqual(msg["To"], "ana@example.jp")
        self.assertEqual(msg["From"].addresses[0].addr_spec,
                         "no-reply@example.go.jp")
        self.assertEqual(msg["From"].addresses[0].display_name, "送信専用")
        self.assertEqual(msg["MIME-Version"], "1.0")
        self.assertEqual(msg.get_content_type(), "text/plain")
        self.assertEqual(msg.get_content_charset(), "utf-8")
        self.assertEqual(msg["Auto-Submitted"], "auto-generated")
        self.assertRegex(msg["Message-ID"], r"^<[^<>@ ]+@example\.go\.jp>$")
        date = email.utils.parsedate_to_datetime(msg["Date"])
        self.assertEqual(date.utcoffset().total_seconds(), 9 * 3600)
        self.assertLess(abs(date.timestamp() - service_now(svc)), 120)
        self.assertEqual(str(msg["Subject"]),
                         "[在留申請オンラインシステム] Registration complete")
        text = Service.body(msg)
        self.assertIn("User ID: ana", text)
        ids = [m["Message-ID"] for m in svc.mails()]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(outbox_row(svc, mid)[1] is not None, True)

    def test_03_params_cleared_once_sent(self):
        svc = self.svc
        mid = queue(svc, "registration_code", "code@example.jp", "ja",
                    '{"code": "326630", "ttl_minutes": 30}')
        got = svc.wait_mail("code@example.jp", 1)
        text = Service.body(got[0])
        # 000 ④ in Japanese.
        self.assertIn("認証コード：326630", text)
        self.assertIn("30分", text)
        self.assertEqual(str(got[0]["Subject"]),
                         "【在留申請オンラインシステム】認証コードのお知らせ")
        wait_for(lambda: outbox_row(svc, mid)[1] is not None, "sent_at")
        self.assertEqual(outbox_row(svc, mid)[2], "{}")
        self.assertNotIn("326630", run(svc, "mail-list").stdout)

    def test_04_no_header_injection(self):
        svc = self.svc
        bad = queue(svc, "registration_exists",
                    "victim@example.jp\r\nBcc: evil@example.jp", "en")
        # A CR/LF in a param lands in the (base64) body, on one line.
        ok = queue(svc, "registration_complete", "inject@example.jp", "en",
                   '{"name": "EVIL\\r\\nBcc: evil@example.jp", '
                   '"user_id": "x\\nSubject: spoofed"}')
        got = svc.wait_mail("inject@example.jp", 1)
        wait_for(lambda: mail_list(svc)[bad][4] == "failed", "refusal")
        for m in svc.mails():
            self.assertIsNone(m["Bcc"])
            self.assertNotIn("evil", str(m["To"]))
            self.assertNotIn("spoofed", str(m["Subject"]))
        self.assertEqual(svc.mails("victim@example.jp"), [])
        text = Service.body(got[0])
        self.assertIn("Dear EVIL  Bcc: evil@example.jp,", text)
        self.assertIn("User ID: x Subject: spoofed", text)
        # Refused rows are kept, with the reason, and never retried.
        row = outbox_row(svc, bad)
        self.assertIsNone(row[1])
        self.assertIn("recipient", row[3])
        rows = mail_list(svc)
        self.assertEqual(rows[ok][4], "sent")
        self.assertNotIn("\r", run(svc, "mail-list").stdout)

    def test_05_unknown_kind_or_missing_param_kept_as_failed(self):
        svc = self.svc
        unknown = queue(svc, "no_such_kind", "kind@example.jp")
        missing = queue(svc, "reset_key", "kind@example.jp", "en",
                        '{"user_id": "an"}')
        after = queue(svc, "password_changed", "kind@example.jp", "en",
                      '{"user_id": "an"}')
        got = svc.wait_mail("kind@example.jp", 1)
        self.assertIn("password", str(got[0]["Subject"]).lower())
        wait_for(lambda: mail_list(svc)[missing][4] == "failed", "failed")
        rows = mail_list(svc)
        self.assertEqual(rows[unknown][4], "failed")
        self.assertEqual(rows[after][4], "sent")
        self.assertIn("unknown mail kind", outbox_row(svc, unknown)[3])
        self.assertIn('"key"', outbox_row(svc, missing)[3])
        sync(svc)
        self.assertEqual(len(svc.mails("kind@example.jp")), 1)
        self.assertIn("cannot be sent", svc.read_log())

    def test_06_registration_code_mail(self):
        status, _, body = self.svc.request(
            "POST", "/api/v1/registrations",
            {"email": "new@example.jp", "email_confirm": "new@example.jp",
             "lang": "ja"})
        if status == 404 and body["error"]["code"] == "not_found":
            self.skipTest("registration is not built yet")
        self.assertEqual(status, 202, body)
        got = self.svc.wait_mail("new@example.jp", 1)
        self.assertIn("【在留申請オンラインシステム】", str(got[0]["Subject"]))
        self.assertIn("送信専用", Service.body(got[0]))


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for libcurl: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.reply("220 fake ESMTP")
        envelope = {"from": None, "to": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("ascii", "replace").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                envelope["from"] = cmd
                self.reply("250 ok")
            elif verb == "RCPT":
                envelope["to"].append(cmd)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    if chunk.startswith(b".."):
                        chunk = chunk[1:]
                    data += chunk
                self.server.received.append((dict(envelope), data))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class FakeSmtp(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        self.received = []
        super().__init__(("127.0.0.1", port), SmtpHandler)
        self.thread = threading.Thread(target=self.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def restart(svc):
    """Start madoguchid again on the same data directory."""
    port_file = os.path.join(svc.dir, "port")
    svc.log = open(os.path.join(svc.dir, "service.log"), "a")
    svc.proc = subprocess.Popen([os.environ["MADOGUCHID"], "--config",
                                 svc.conf], stdout=svc.log,
                                stderr=subprocess.STDOUT)
    wait_for(lambda: os.path.exists(port_file) or svc.proc.poll() is not None,
             "restart", 30)
    assert svc.proc.poll() is None, svc.read_log()
    with open(port_file) as f:
        svc.port = int(f.read().strip())


class SmtpTest(unittest.TestCase):
    def setUp(self):
        self.port = free_port()
        self.svc = Service([f"smtp_url = smtp://127.0.0.1:{self.port}",
                            "mail_retry = 60"])
        self.smtp = None

    def tearDown(self):
        if self.smtp:
            self.smtp.stop()
        self.svc.stop()
        self.svc.cleanup()

    def wait_received(self, count):
        wait_for(lambda: len(self.smtp.received) >= count, "SMTP delivery")

    def test_retried_until_the_relay_answers(self):
        svc = self.svc
        mid = queue(svc, "registration_code", "smtp@example.jp", "ja",
                    '{"code": "123456", "ttl_minutes": 30}')
        # The relay is down: the mail stays queued and is retried later.
        wait_for(lambda: outbox_row(svc, mid)[0] >= 1, "first attempt")
        attempts, sent, params, error, next_at = outbox_row(svc, mid)
        self.assertIsNone(sent)
        self.assertIn("123456", params)
        self.assertTrue(error)
        self.assertGreaterEqual(next_at - service_now(svc), 50)
        self.assertEqual(mail_list(svc)[mid][4], "retrying")
        self.assertIn("delivery failed", svc.read_log())

        self.smtp = FakeSmtp(self.port)
        svc.advance(61)
        self.wait_received(1)
        envelope, data = self.smtp.received[0]
        self.assertIn("<no-reply@madoguchi.invalid>", envelope["from"])
        self.assertEqual(envelope["to"], ["RCPT TO:<smtp@example.jp>"])
        msg = email.message_from_bytes(data, policy=email.policy.default)
        self.assertEqual(msg["To"], "smtp@example.jp")
        self.assertIn("認証コード", str(msg["Subject"]))
        self.assertIn("123456", msg.get_body().get_content())
        wait_for(lambda: outbox_row(svc, mid)[1] is not None, "sent_at")
        self.assertEqual(outbox_row(svc, mid)[2], "{}")
        self.assertEqual(mail_list(svc)[mid][4], "sent")

    def test_nothing_lost_across_a_restart(self):
        svc = self.svc
        mid = queue(svc, "password_changed", "durable@example.jp", "en",
                    '{"user_id": "durable@example.jp"}')
        wait_for(lambda: outbox_row(svc, mid)[0] >= 1, "first attempt")
        self.assertEqual(svc.stop(), 0)
        self.assertIsNone(outbox_row(svc, mid)[1])
        restart(svc)
        # Still down after the restart: a second failure, longer delay.
        svc.advance(61)
        wait_for(lambda: outbox_row(svc, mid)[0] >= 2, "second attempt")
        next_at = outbox_row(svc, mid)[4]
        self.assertGreaterEqual(next_at - service_now(svc), 110)
        self.smtp = FakeSmtp(self.port)
        svc.advance(121)
        self.wait_received(1)
        msg = email.message_from_bytes(self.smtp.received[0][1],
                                       policy=email.policy.default)
        self.assertEqual(str(msg["Subject"]),
                         "[Madoguchi demo service] Password changed")
        wait_for(lambda: outbox_row(svc, mid)[1] is not None, "sent_at")
        self.assertEqual(len(self.smtp.received), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
