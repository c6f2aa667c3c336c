"""madoguchid backup and restore (issue 13): a copy taken while writers
keep the service busy holds every write acknowledged before the backup
began; restored into a new data directory, a service starts on it and
its users log in.  Restore never overwrites a database and refuses what
is not one."""

import http.client
import json
import os
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import ENGINE, Service  # noqa: E402

PASSWORD = "Madoguchi2025"


def admin(conf, *args, data_dir=None, check=True):
    cmd = [os.environ["MADOGUCHID"], "--config", conf]
    if data_dir:
        cmd += ["--data-dir", data_dir]
    r = subprocess.run(cmd + list(args), capture_output=True, text=True,
                       timeout=120)
    if check:
        assert r.returncode == 0, r.stderr
    return r


# backup and restore copy SQLite's file; on PostgreSQL, pg_dump and
# pg_restore do that, and the commands say so (PostgreSQLBackupTest).
@unittest.skipIf(ENGINE != "sqlite", "backup copies SQLite's file")
class BackupTest(unittest.TestCase):
    def setUp(self):
        self.svc = Service(["rate_registration_per_client = 0",
                            "rate_registration_per_target = 0",
                            "rate_login_per_client = 0"])
        self.tmp = tempfile.mkdtemp(prefix="backup.")

    def tearDown(self):
        self.svc.stop()
        self.svc.cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def writer(self, n, stop, acked):
        """Registrations, one after another, each noted with the moment
        its 202 arrived."""
        i = 0
        while not stop.is_set():
            email = f"w{n}-{i}@example.jp"
            status, _, _ = self.svc.request(
                "POST", "/api/v1/registrations",
                {"email": email, "email_confirm": email, "lang": "ja"})
            if status == 202:
                acked.append((time.monotonic(), email))
            i += 1

    def test_backup_under_load_and_restore(self):
        r = self.svc.add_user("taro@example.jp", "山田 太郎", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        stop = threading.Event()
        acked = []
        threads = [threading.Thread(target=self.writer,
                                    args=(n, stop, acked))
                   for n in range(4)]
        for t in threads:
            t.start()
        try:
            while len(acked) < 40:
                time.sleep(0.05)
            dest = os.path.join(self.tmp, "madoguchid-backup.sqlite")
            began = time.monotonic()
            out = admin(self.svc.conf, "backup", dest, "--json").stdout
            ended = time.monotonic()
            during = len([a for a in acked if began <= a[0] <= ended])
            # Writers go on after it too: the copy took no lock that
            # stopped them.
            count = len(acked)
            while len(acked) < count + 20:
                time.sleep(0.05)
        finally:
            stop.set()
            for t in threads:
                t.join()
        before = {email for when, email in acked if when < began}
        self.assertGreaterEqual(len(before), 40)
        info = json.loads(out)
        self.assertEqual(info["file"], dest)
        self.assertEqual(info["bytes"], os.path.getsize(dest))
        # One self-contained file, owner-only like the database.
        self.assertFalse(os.path.exists(dest + "-wal"))
        self.assertEqual(os.stat(dest).st_mode & 0o077, 0)

        data = os.path.join(self.tmp, "restored")
        out = admin(self.svc.conf, "restore", dest, data_dir=data).stdout
        self.assertIn("restored", out)
        self.assertEqual(os.stat(data).st_mode & 0o777, 0o700)
        db = sqlite3.connect(os.path.join(data, "madoguchid.sqlite"))
        have = {row[0] for row in db.execute(
            "SELECT email FROM registrations")}
        users = [row[0] for row in db.execute("SELECT user_id FROM users")]
        db.close()
        missing = before - have
        self.assertFalse(missing, f"{len(missing)} acknowledged writes "
                         f"missing (of {len(before)}; {during} during)")
        self.assertEqual(users, ["taro@example.jp"])

        # A service starts on the restored directory and its user logs in.
        proc = subprocess.Popen(
            [os.environ["MADOGUCHID"], "--data-dir", data, "--port", "0",
             "--port-file", os.path.join(self.tmp, "port")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while not os.path.exists(os.path.join(self.tmp, "port")):
                self.assertIsNone(proc.poll())
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.05)
            with open(os.path.join(self.tmp, "port")) as f:
                port = int(f.read())
            ctx = ssl.create_default_context(
                cafile=os.path.join(data, "ca.pem"))
            conn = http.client.HTTPSConnection("127.0.0.1", port,
                                               context=ctx, timeout=30)
            conn.request("POST", "/api/v1/session", body=json.dumps(
                {"user_id": "taro@example.jp", "password": PASSWORD}),
                headers={"Content-Type": "application/json"})
            self.assertEqual(conn.getresponse().status, 201)
            conn.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)

        # Never over a database, and never from something that is not one.
        r = admin(self.svc.conf, "restore", dest, data_dir=data, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr)
        junk = os.path.join(self.tmp, "junk")
        with open(junk, "w") as f:
            f.write("not a database\n" * 100)
        other = os.path.join(self.tmp, "other")
        r = admin(self.svc.conf, "restore", junk, data_dir=other,
                  check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a sound madoguchid database", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(other,
                                                     "madoguchid.sqlite")))

    def test_backup_replaces_an_older_copy(self):
        dest = os.path.join(self.tmp, "b.sqlite")
        admin(self.svc.conf, "backup", dest)
        r = self.svc.add_user("hanako@example.jp", "山田 花子", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        admin(self.svc.conf, "backup", dest)
        db = sqlite3.connect(dest)
        users = [row[0] for row in db.execute("SELECT user_id FROM users")]
        db.close()
        self.assertEqual(users, ["hanako@example.jp"])
        self.assertFalse(os.path.exists(dest + ".tmp"))


@unittest.skipIf(ENGINE != "postgresql", "PostgreSQL only")
class PostgreSQLBackupTest(unittest.TestCase):
    def test_backup_points_to_pg_dump(self):
        svc = Service()
        tmp = tempfile.mkdtemp(prefix="backup.")
        try:
            r = admin(svc.conf, "backup", os.path.join(tmp, "copy"),
                      check=False)
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn("pg_dump", r.stderr)
            self.assertEqual(os.listdir(tmp), [], "a file was left")
        finally:
            svc.stop()
            svc.cleanup()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
