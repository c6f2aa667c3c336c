"""Operating the service (issue 13): systemd's notify protocol (READY
once listening, STOPPING on SIGTERM), SIGHUP that drops nothing, log
lines with a level (and the journal's priority prefix when stderr is the
journal) that never hold a secret, GET /metrics only on its own address
(off by default) with counters that move, and --json of the admin
commands with hidden characters escaped."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from service import Service, code_from, key_from  # noqa: E402

PASSWORD = "Madoguchi2025"
NEW_PASSWORD = "Kawasaki-2026"


def listening_ports(pid):
    """TCP ports the process listens on (its sockets in /proc/net)."""
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        m = re.fullmatch(r"socket:\[(\d+)\]", target)
        if m:
            inodes.add(m.group(1))
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                cols = line.split()
                # State 0A is LISTEN.
                if cols[3] == "0A" and cols[9] in inodes:
                    ports.add(int(cols[1].split(":")[1], 16))
    return ports


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics",
                                timeout=10) as r:
        return r.headers, r.read().decode()


def sample(text, name, **labels):
    """The value of one series in the exposition text (0 if absent)."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if not m or m.group(1) != name:
            continue
        got = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        if all(got.get(k) == v for k, v in labels.items()):
            return float(m.group(3))
    return 0.0


class NotifyTest(unittest.TestCase):
    """Type=notify: systemd learns the service is ready once it listens,
    and that it is stopping as soon as SIGTERM arrives."""

    def test_ready_hup_stopping(self):
        tmp = tempfile.mkdtemp(prefix="notify.")
        path = os.path.join(tmp, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(20)
        env = dict(os.environ, NOTIFY_SOCKET=path)
        svc = Service(env=env)
        try:
            msg = sock.recv(4096).decode()
            self.assertIn("READY=1", msg.split("\n"))
            self.assertIn(f"STATUS=listening on port {svc.port}", msg)
            # The port was already answering when READY was sent.
            status, _, _ = svc.request("GET", "/api/v1/info")
            self.assertEqual(status, 200)

            # SIGHUP: still running, a kept connection still answers.
            import http.client
            conn = http.client.HTTPSConnection("127.0.0.1", svc.port,
                                               context=svc.ctx, timeout=10)
            conn.request("GET", "/api/v1/info")
            conn.getresponse().read()
            svc.proc.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 10
            while "SIGHUP" not in svc.read_log():
                self.assertLess(time.monotonic(), deadline, svc.read_log())
                time.sleep(0.05)
            self.assertIsNone(svc.proc.poll())
            conn.request("GET", "/api/v1/info")
            self.assertEqual(conn.getresponse().status, 200)
            conn.close()
            self.assertIn("needs a restart", svc.read_log())

            svc.proc.send_signal(signal.SIGTERM)
            msg = sock.recv(4096).decode()
            self.assertIn("STOPPING=1", msg.split("\n"))
            self.assertEqual(svc.stop(), 0)
        finally:
            svc.stop()
            svc.cleanup()
            sock.close()
            os.unlink(path)
            os.rmdir(tmp)


class LogTest(unittest.TestCase):
    """Every line has a level; the journal gets its priority prefix; no
    password, token, code or key is ever written."""

    def test_levels_plain(self):
        svc = Service(["keep_ca_key = 1"])
        try:
            svc.request("GET", "/api/v1/info")
        finally:
            svc.stop()
        log = svc.read_log()
        svc.cleanup()
        lines = log.splitlines()
        self.assertTrue(lines)
        for line in lines:
            self.assertRegex(line, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
                             r"madoguchid: (info|warning|error): ")
        self.assertRegex(log, r"madoguchid: info: listening on https://")
        self.assertRegex(log, r"madoguchid: warning: keep_ca_key is set")

    def test_journal_prefix(self):
        # systemd sets JOURNAL_STREAM to the device:inode of the stream
        # it gave as stderr; here that stream is the log file.
        tmp = tempfile.mkdtemp(prefix="journal.")
        log_path = os.path.join(tmp, "stderr")
        with open(log_path, "w") as f:
            st = os.fstat(f.fileno())
            conf = os.path.join(tmp, "c.conf")
            with open(conf, "w") as c:
                c.write(f"data_dir = {tmp}/d\nport = 0\n"
                        f"port_file = {tmp}/port\nkeep_ca_key = 1\n")
            env = dict(os.environ,
                       JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
            proc = subprocess.Popen([os.environ["MADOGUCHID"], "--config",
                                     conf], stderr=f, env=env)
            deadline = time.monotonic() + 30
            while not os.path.exists(f"{tmp}/port"):
                self.assertIsNone(proc.poll())
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=15), 0)
        with open(log_path) as f:
            log = f.read()
        subprocess.run(["rm", "-rf", tmp])
        for line in log.splitlines():
            self.assertRegex(line, r"^<[346]>madoguchid: "
                             r"(info|warning|error): ")
        self.assertIn("<6>madoguchid: info: listening on", log)
        self.assertIn("<4>madoguchid: warning: keep_ca_key", log)

    def test_no_secret_in_log(self):
        svc = Service(["idle_timeout = 3600"])
        secrets = [PASSWORD, NEW_PASSWORD]
        try:
            email = "himitsu@example.jp"
            status, _, body = svc.request(
                "POST", "/api/v1/registrations",
                {"email": email, "email_confirm": email, "lang": "ja"})
            self.assertEqual(status, 202, body)
            secrets.append(body["registration"])
            code = code_from(Service.body(svc.wait_mail(email)[-1]))
            secrets.append(code)
            status, _, got = svc.request(
                "POST", "/api/v1/registrations/verify",
                {"registration": body["registration"], "code": code})
            self.assertEqual(status, 200, got)
            status, _, got = svc.request(
                "POST", "/api/v1/registrations/complete", {
                    "registration": body["registration"],
                    "password": PASSWORD, "password_confirm": PASSWORD,
                    "lang": "ja", "type": "individual",
                    "family_name": "秘密", "given_name": "花子",
                    "family_name_kana": "ヒミツ",
                    "given_name_kana": "ハナコ",
                    "postal_code": "5400008", "address": "大阪府大阪市",
                    "phone": "0669410351", "birth_date": "1980-04-01",
                    "gender": "female", "notify_mail": "yes"})
            self.assertEqual(status, 201, got)
            status, _, got = svc.request(
                "POST", "/api/v1/session",
                {"user_id": email, "password": PASSWORD})
            self.assertEqual(status, 201, got)
            secrets.append(got["token"])
            status, _, got = svc.request(
                "POST", "/api/v1/recovery/password",
                {"user_id": email, "email": email, "lang": "ja"})
            self.assertEqual(status, 202, got)
            # The code, the registration's confirmation, then the key.
            key = key_from(Service.body(svc.wait_mail(email, 3)[-1]))
            secrets += [key, key.replace("-", "")]
            status, _, got = svc.request(
                "POST", "/api/v1/recovery/password/reset", {
                    "user_id": email, "key": key,
                    "new_password": NEW_PASSWORD,
                    "new_password_confirm": NEW_PASSWORD})
            self.assertEqual(status, 200, got)
            # A wrong password's text must not be logged either.
            svc.request("POST", "/api/v1/session",
                        {"user_id": email, "password": "Wrong-Guess-42"})
            secrets.append("Wrong-Guess-42")
        finally:
            svc.stop()
        log = svc.read_log()
        svc.cleanup()
        self.assertIn("POST /api/v1/session", log)
        for secret in secrets:
            self.assertNotIn(secret, log)


class MetricsTest(unittest.TestCase):
    def test_off_by_default(self):
        svc = Service()
        try:
            # Only the API's port listens, and it does not serve them.
            self.assertEqual(listening_ports(svc.proc.pid), {svc.port})
            status, _, _ = svc.request("GET", "/metrics")
            self.assertEqual(status, 404)
            self.assertNotIn("metrics on", svc.read_log())
        finally:
            svc.stop()
            svc.cleanup()

    def test_bad_address_refused(self):
        tmp = tempfile.mkdtemp(prefix="metrics.")
        conf = os.path.join(tmp, "c.conf")
        with open(conf, "w") as f:
            f.write(f"data_dir = {tmp}/d\nport = 0\n"
                    "metrics_listen = localhost:9464\n")
        r = subprocess.run([os.environ["MADOGUCHID"], "--config", conf],
                           capture_output=True, text=True, timeout=30)
        subprocess.run(["rm", "-rf", tmp])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("metrics_listen must be ADDRESS:PORT", r.stderr)

    def test_counters_move(self):
        svc = Service(["metrics_listen = 127.0.0.1:0",
                       "rate_login_per_target = 2", "idle_timeout = 3600"])
        try:
            m = re.search(r"metrics on http://127\.0\.0\.1:(\d+)/metrics",
                          svc.read_log())
            self.assertIsNotNone(m, svc.read_log())
            mport = int(m.group(1))
            self.assertEqual(listening_ports(svc.proc.pid),
                             {svc.port, mport})
            r = svc.add_user("keiki@example.jp", "計器 太郎", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)

            headers, before = scrape(mport)
            self.assertIn("text/plain; version=0.0.4",
                          headers["Content-Type"])
            self.assertEqual(sample(before, "madoguchid_store_up"), 1)
            self.assertEqual(sample(before, "madoguchid_sessions_live"), 0)

            info = dict(method="GET", route="/api/v1/info", status="200")
            login_ok = dict(method="POST", route="/api/v1/session",
                            status="201")
            for _ in range(3):
                svc.request("GET", "/api/v1/info")
            svc.request("GET", "/no/such/path/" + "x" * 20)
            status, _, got = svc.request(
                "POST", "/api/v1/session",
                {"user_id": "keiki@example.jp", "password": PASSWORD})
            self.assertEqual(status, 201, got)
            svc.request("POST", "/api/v1/session",
                        {"user_id": "keiki@example.jp",
                         "password": "Wrong-pass1"})
            status, _, _ = svc.request(
                "POST", "/api/v1/session",
                {"user_id": "keiki@example.jp", "password": PASSWORD})
            self.assertEqual(status, 429)

            _, after = scrape(mport)
            self.assertEqual(
                sample(after, "madoguchid_http_requests_total", **info) -
                sample(before, "madoguchid_http_requests_total", **info), 3)
            self.assertEqual(sample(after, "madoguchid_http_requests_total",
                                    **login_ok), 1)
            self.assertEqual(sample(after, "madoguchid_http_requests_total",
                                    method="POST", route="/api/v1/session",
                                    status="429"), 1)
            # An unknown path is one series, whatever it was.
            self.assertGreaterEqual(sample(
                after, "madoguchid_http_requests_total", method="other",
                route="other", status="404"), 1)
            self.assertNotIn("xxxxxxxx", after)
            self.assertEqual(sample(
                after, "madoguchid_ratelimit_refusals_total",
                kind="login"), 1)
            self.assertEqual(sample(
                after, "madoguchid_http_request_duration_seconds_count",
                method="POST", route="/api/v1/session"), 3)
            self.assertEqual(sample(
                after, "madoguchid_http_request_duration_seconds_bucket",
                method="POST", route="/api/v1/session", le="+Inf"), 3)
            self.assertGreater(sample(
                after, "madoguchid_http_request_duration_seconds_sum",
                method="POST", route="/api/v1/session"), 0)
            self.assertEqual(sample(after, "madoguchid_sessions_live"), 1)
            for gauge in ("madoguchid_hashes_in_flight",
                          "madoguchid_hashes_queued",
                          "madoguchid_mail_queue_length",
                          "madoguchid_mail_queue_oldest_seconds"):
                self.assertRegex(after, rf"(?m)^{gauge} \d+$")
            # The API's port never serves them.
            status, _, _ = svc.request("GET", "/metrics")
            self.assertEqual(status, 404)
            with self.assertRaises(urllib.error.HTTPError) as cm:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{mport}/api/v1/info", timeout=10)
            self.assertEqual(cm.exception.code, 404)
        finally:
            svc.stop()
            svc.cleanup()

    def test_mail_queue_gauges(self):
        # Deliveries to an SMTP port nobody listens on stay queued.
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
        s.close()
        svc = Service(["metrics_listen = 127.0.0.1:0",
                       f"smtp_url = smtp://127.0.0.1:{dead}",
                       "mail_retry = 3600"])
        try:
            mport = int(re.search(r"metrics on http://127\.0\.0\.1:(\d+)",
                                  svc.read_log()).group(1))
            for i in range(2):
                email = f"queue{i}@example.jp"
                status, _, body = svc.request(
                    "POST", "/api/v1/registrations",
                    {"email": email, "email_confirm": email, "lang": "ja"})
                self.assertEqual(status, 202, body)
            svc.advance(120)
            _, text = scrape(mport)
            self.assertEqual(sample(text, "madoguchid_mail_queue_length"), 2)
            self.assertGreaterEqual(
                sample(text, "madoguchid_mail_queue_oldest_seconds"), 120)
        finally:
            svc.stop()
            svc.cleanup()


class AdminJsonTest(unittest.TestCase):
    def run_admin(self, *args, stdin=None):
        r = subprocess.run([os.environ["MADOGUCHID"], "--config",
                            self.svc.conf, *args], input=stdin,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def setUp(self):
        self.svc = Service()

    def tearDown(self):
        self.svc.stop()
        self.svc.cleanup()

    def test_json_output(self):
        created = json.loads(self.run_admin(
            "user-add", "json@example.jp", "--name", "試験 太郎", "--json",
            stdin=PASSWORD + "\n"))
        self.assertEqual(created, {"user_id": "json@example.jp"})
        self.run_admin("user-add", "other@example.jp", "--name", "別 人",
                       stdin=PASSWORD + "\n")
        # A name stored before the field rules refused hidden characters.
        hostile = "A\x1b]0;owned\x07B\u202e\x9b31mC\\\"D"
        self.svc.sql("UPDATE users SET name = ? WHERE user_id = ?",
                     hostile, "other@example.jp")

        out = self.run_admin("user-list", "--json")
        for bad in ("\x1b", "\x07", "\u202e", "\x9b"):
            self.assertNotIn(bad, out)
        users = {u["user_id"]: u for u in json.loads(out)}
        self.assertEqual(set(users), {"json@example.jp", "other@example.jp"})
        self.assertEqual(users["other@example.jp"]["name"], hostile)
        self.assertEqual(users["json@example.jp"]["name"], "試験 太郎")
        self.assertIsNone(users["json@example.jp"]["locked_until"])
        self.assertIsNone(users["json@example.jp"]["last_login"])
        # The text output escapes them too.
        text = self.run_admin("user-list")
        self.assertIn("\\x1b", text)
        self.assertNotIn("\x1b", text)

        self.assertEqual(json.loads(self.run_admin(
            "user-unlock", "--json", "json@example.jp")),
            {"user_id": "json@example.jp", "unlocked": True})
        self.assertEqual(json.loads(self.run_admin("user-collisions",
                                                   "--json")), [])
        number = json.loads(self.run_admin(
            "notice-add", "--title", "お知らせ", "--json", stdin="本文"))
        self.assertIsInstance(number["number"], int)
        mails = json.loads(self.run_admin("mail-list", "--json"))
        self.assertIsInstance(mails, list)
        self.assertEqual(json.loads(self.run_admin(
            "user-delete", "json@example.jp", "--json")),
            {"user_id": "json@example.jp", "deleted": True})


if __name__ == "__main__":
    unittest.main()
