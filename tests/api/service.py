"""Start a real madoguchid on a free loopback port for API tests, and talk
to it over HTTPS verified against the CA it generated.

The store is a SQLite file in the scratch directory, or, when
MADOGUCHI_DB=postgresql (make check runs every API test both ways), a
new database of the test process's scratch PostgreSQL cluster
(pgcluster.py).  Tests read and write the database through Service.sql,
which speaks to either."""

import email
import email.policy
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import tempfile
import time
import unittest

# The engine under test: "sqlite" or "postgresql".
ENGINE = "postgresql" if os.environ.get("MADOGUCHI_DB") == "postgresql" \
    else "sqlite"


def before_the_database(what):
    """Skips on PostgreSQL a test of what happens before any database
    work (the HTTP layer, TLS, files, request parsing): it is the same on
    every engine, and its SQLite run covers it.  The suite runs twice; a
    test that reaches the store runs on both."""
    return unittest.skipIf(ENGINE == "postgresql",
                           f"{what} happens before any database work")


class Service:
    """A madoguchid with its own scratch data directory, database and
    test clock."""

    def __init__(self, config_lines=(), env=None, share=None):
        """config_lines are added to the configuration; with share (a
        Service), this one is another instance on share's database and
        test clock."""
        self.dir = tempfile.mkdtemp(prefix="madoguchid-api.")
        self.conf = os.path.join(self.dir, "madoguchid.conf")
        self.clock = os.path.join(self.dir, "clock")
        self.mail_dir = os.path.join(self.dir, "outbox")
        self.engine = ENGINE
        self.db_path = os.path.join(self.dir, "madoguchid.sqlite")
        self.db_name = None
        if share is not None:
            self.clock = share.clock
            self.db_path = share.db_path
            self.db_name = share.db_name
            self.cluster = getattr(share, "cluster", None)
        elif self.engine == "postgresql":
            import pgcluster
            self.cluster = pgcluster.shared()
            self.db_name = self.cluster.new_database()
        with open(self.conf, "w") as f:
            f.write(f"data_dir = {self.dir}\nport = 0\n")
            if self.db_name is not None:
                f.write("database = " +
                        self.cluster.conninfo(self.db_name) + "\n")
            elif share is not None:
                f.write(f"database = {self.db_path}\n")
            f.write(f"port_file = {self.dir}/port\n")
            f.write(f"test_clock_file = {self.clock}\n")
            for line in config_lines:
                f.write(line + "\n")
        self.log = open(os.path.join(self.dir, "service.log"), "w")
        # sandbox_test.py runs services under the unit's seccomp filter.
        wrapper = os.environ.get("MADOGUCHI_SERVICE_WRAPPER", "").split()
        self.proc = subprocess.Popen(
            wrapper + [os.environ["MADOGUCHID"], "--config", self.conf],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        port_file = os.path.join(self.dir, "port")
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("madoguchid exited: " + self.read_log())
            if time.monotonic() > deadline:
                raise RuntimeError("madoguchid did not start")
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read().strip())
        # An instance given another's certificate (cert, key) has no CA
        # of its own: it is trusted through that one's.
        cafile = os.path.join(self.dir, "ca.pem")
        if not os.path.exists(cafile) and share is not None:
            cafile = os.path.join(share.dir, "ca.pem")
        self.ctx = ssl.create_default_context(cafile=cafile)

    def sql(self, query, *params):
        """Run one statement on the service's database, with `?`
        placeholders bound to params, committed at once: the rows it
        returns as tuples (ints, str, bytes for blobs, None)."""
        if self.engine == "postgresql":
            return self.cluster.query(self.db_name, query, params)
        db = sqlite3.connect(self.db_path, timeout=30)
        try:
            with db:
                return db.execute(query, params).fetchall()
        finally:
            db.close()

    def sql_script(self, script):
        """Run several statements without values, in one transaction."""
        if self.engine == "postgresql":
            self.cluster.script(self.db_name, script)
            return
        db = sqlite3.connect(self.db_path, timeout=30)
        try:
            db.executescript("BEGIN;" + script + ";COMMIT;")
        finally:
            db.close()

    def schema_version(self):
        """The schema version the database is at."""
        if self.engine == "postgresql":
            return self.sql("SELECT version FROM schema_version")[0][0]
        return self.sql("PRAGMA user_version")[0][0]

    def wipe_database(self):
        """Leave the service (stopped) an empty database."""
        assert self.proc.poll() is not None, "stop the service first"
        if self.engine == "postgresql":
            self.sql_script("DROP SCHEMA public CASCADE;"
                            "CREATE SCHEMA public;")
            return
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db_path + suffix):
                os.remove(self.db_path + suffix)

    def read_log(self):
        with open(os.path.join(self.dir, "service.log")) as f:
            return f.read()

    def add_user(self, user_id, name, password, extra=()):
        """Create a user with the administrative command, password on stdin."""
        return subprocess.run(
            [os.environ["MADOGUCHID"], "--config", self.conf, "user-add",
             user_id, "--name", name, *extra],
            input=password + "\n", capture_output=True, text=True)

    def advance(self, seconds):
        """Move the service's clock forward without sleeping."""
        now = 0
        if os.path.exists(self.clock):
            with open(self.clock) as f:
                now = int(f.read().strip() or 0)
        with open(self.clock + ".tmp", "w") as f:
            f.write(str(now + seconds))
        os.replace(self.clock + ".tmp", self.clock)

    def request(self, method, path, body=None, token=None, raw=None,
                headers=None, host="127.0.0.1"):
        """One HTTPS request; returns (status, headers, parsed JSON or None)."""
        conn = http.client.HTTPSConnection(host, self.port, context=self.ctx,
                                           timeout=30)
        hdrs = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = "Bearer " + token
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        parsed = None
        if payload:
            parsed = json.loads(payload)
        return resp.status, resp.headers, parsed

    def mails(self, to=None):
        """Every mail in the Maildir outbox, oldest first, as a person's
        mail program reads them (headers decoded), optionally only those
        addressed to `to`."""
        out = []
        for sub in ("new", "cur"):
            d = os.path.join(self.mail_dir, sub)
            if not os.path.isdir(d):
                continue
            for name in os.listdir(d):
                with open(os.path.join(d, name), "rb") as f:
                    msg = email.message_from_binary_file(
                        f, policy=email.policy.default)
                msg.filename = name
                if to is None or to in str(msg["To"]):
                    out.append(msg)
        out.sort(key=lambda m: (os.stat(os.path.join(
            self.mail_dir, "new" if os.path.exists(os.path.join(
                self.mail_dir, "new", m.filename)) else "cur",
            m.filename)).st_mtime_ns, m.filename))
        return out

    def wait_mail(self, to, count=1, timeout=15):
        """Poll until `to` has at least `count` mails; return them."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.mails(to)
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no mail #{count} for {to} after {timeout}s "
                    f"(have {len(got)}); log:\n" + self.read_log()[-2000:])
            time.sleep(0.05)

    @staticmethod
    def body(msg):
        """The text of a mail, decoded."""
        part = msg.get_body(preferencelist=("plain",))
        return part.get_content()

    def stop(self, sig=signal.SIGTERM):
        """Send sig and return madoguchid's exit status.  Every test stops
        its service here, so this is where two faults fail the test: a
        leak report in the log by any run on this data directory (built
        with configure --enable-leak-check, LeakSanitizer reports at exit),
        and a SIGTERM or SIGINT that did not end in a clean exit."""
        sent = False
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            sent = True
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        status = self.proc.returncode
        try:
            # Bad-input tests log bytes that are not UTF-8.
            with open(os.path.join(self.dir, "service.log"),
                      encoding="utf-8", errors="replace") as f:
                log = f.read()
        except FileNotFoundError:
            log = ""
        if self.engine == "postgresql" and os.path.exists(self.db_path):
            raise AssertionError("madoguchid on PostgreSQL made a SQLite "
                                 "file: " + self.db_path)
        leak = log.find("ERROR: LeakSanitizer")
        if leak >= 0:
            raise AssertionError(
                "madoguchid leaked memory (LeakSanitizer report in "
                f"{self.dir}/service.log):\n" + log[leak:leak + 6000])
        if sent and sig in (signal.SIGTERM, signal.SIGINT) and status != 0:
            raise AssertionError(
                f"madoguchid exited with status {status} on signal "
                f"{int(sig)}, not 0; log:\n" + log[-3000:])
        return status

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def read_response(sock):
    """(status, headers dict, body) of one HTTP response read from a raw
    socket (plain or TLS), for tests that need the connection itself."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the headers")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed in the body")
        body += chunk
    return int(lines[0].split()[1]), headers, body


def code_from(body):
    """The 6-digit code as a person reads it from the mail."""
    m = re.search(r"\b(\d{6})\b", body)
    assert m, body
    return m.group(1)


def key_from(body):
    """The grouped key (ABCD-EFGH-JKLM) as printed in the mail."""
    m = re.search(r"\b([A-Z2-9]{4}(?:-[A-Z2-9]{4})+)\b", body)
    assert m, body
    return m.group(1)


def user_add(svc, args, stdin):
    """The admin command with its own arguments; the IDs it issued."""
    r = subprocess.run([os.environ["MADOGUCHID"], "--config", svc.conf,
                        "user-add", *args], input=stdin,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return re.findall(r"user (\S+) created", r.stdout)


class ErrorAssertions:
    """assertError for unittest.TestCase subclasses: the status, and the
    code and field of docs/api.md's error body."""

    def assertError(self, result, status, code, field=None):
        got_status, _, body = result
        self.assertEqual(got_status, status, body)
        err = body["error"]
        self.assertEqual(err["code"], code, err)
        self.assertEqual(err["field"], field, err)
        self.assertIsInstance(err["params"], dict)
        return err
