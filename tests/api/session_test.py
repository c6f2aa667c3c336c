"""API tests of the first slice: /api/v1/info, log-in, /me, log-out, idle
expiry, lockout, the error shape, and bad input of every kind."""

import base64
import glob
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi2025"


class SessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["idle_timeout = 600", "idle_warning = 60"])
        r = cls.svc.add_user("taro@example.jp", "山田 太郎", PASSWORD)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        status = cls.svc.stop()
        assert status == 0, f"madoguchid exited {status} on SIGTERM"
        cls.svc.cleanup()

    def login(self, user_id="taro@example.jp", password=PASSWORD, **extra):
        return self.svc.request("POST", "/api/v1/session",
                                {"user_id": user_id, "password": password,
                                 **extra})

    def assertError(self, result, status, code, field=None):
        got_status, _, body = result
        self.assertEqual(got_status, status, body)
        self.assertEqual(set(body), {"error"})
        err = body["error"]
        self.assertEqual(err["code"], code, err)
        self.assertEqual(err["field"], field, err)
        self.assertIsInstance(err["params"], dict)
        self.assertIsInstance(err["message"], str)

    def test_info_publishes_profile_rules(self):
        status, headers, body = self.svc.request("GET", "/api/v1/info")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertEqual(body["profile"], "lgpos")
        self.assertEqual(body["languages"],
                         ["ja", "en", "zh_CN", "zh_TW", "ko", "es", "vi", "tl"])
        self.assertEqual(body["password_policy"],
                         {"min_length": 8, "max_length": 64, "min_classes": 2,
                          "symbols": ""})
        # The configured idle limit, not the default, is published.
        self.assertEqual(body["limits"]["idle_timeout"], 600)
        self.assertEqual(body["limits"]["idle_warning"], 60)
        self.assertEqual(body["limits"]["lockout_failures"], 5)

    def test_certificate_names_loopback(self):
        for host in ("127.0.0.1", "localhost"):
            status, _, _ = self.svc.request("GET", "/api/v1/info", host=host)
            self.assertEqual(status, 200)

    def test_untrusted_client_is_refused(self):
        ctx = ssl.create_default_context()  # the system store, not our CA
        with socket.create_connection(("127.0.0.1", self.svc.port)) as s:
            with self.assertRaises(ssl.SSLCertVerificationError):
                ctx.wrap_socket(s, server_hostname="127.0.0.1")

    def test_login_me_logout(self):
        status, _, body = self.login(lang="en")
        self.assertEqual(status, 201, body)
        token = body["token"]
        self.assertEqual(len(token), 43)
        self.assertEqual(len(base64.urlsafe_b64decode(token + "=")), 32)
        self.assertEqual(body["user"], {"user_id": "taro@example.jp",
                                        "name": "山田 太郎"})
        self.assertEqual(body["idle_timeout"], 600)
        status, _, me = self.svc.request("GET", "/api/v1/me", token=token)
        self.assertEqual(status, 200)
        self.assertEqual(me["name"], "山田 太郎")
        self.assertEqual(me["email"], "taro@example.jp")
        # The raw token is nowhere in the database: only its hash.
        hashes = [bytes(r[0]) for r in
                  self.svc.sql("SELECT token_hash FROM sessions")]
        raw = base64.urlsafe_b64decode(token + "=")
        self.assertTrue(hashes)
        self.assertNotIn(raw, hashes)
        self.assertNotIn(token.encode(), hashes)
        status, _, body = self.svc.request("DELETE", "/api/v1/session",
                                           token=token)
        self.assertEqual(status, 204)
        self.assertIsNone(body)
        self.assertError(self.svc.request("GET", "/api/v1/me", token=token),
                         401, "unauthorized")

    def test_new_token_every_login(self):
        a = self.login()[2]["token"]
        b = self.login()[2]["token"]
        self.assertNotEqual(a, b)

    def test_wrong_password_and_unknown_user_answer_alike(self):
        wrong = self.login(password="Wrong-pass1")
        unknown = self.login(user_id="nobody@example.jp")
        self.assertError(wrong, 401, "invalid_credentials")
        self.assertError(unknown, 401, "invalid_credentials")
        self.assertEqual(wrong[2], unknown[2])

    def test_idle_expiry_and_activity(self):
        token = self.login()[2]["token"]
        self.svc.advance(500)
        # Activity within the limit moves the deadline on.
        self.assertEqual(self.svc.request("GET", "/api/v1/me",
                                          token=token)[0], 200)
        self.svc.advance(500)
        self.assertEqual(self.svc.request("GET", "/api/v1/me",
                                          token=token)[0], 200)
        self.svc.advance(601)
        self.assertError(self.svc.request("GET", "/api/v1/me", token=token),
                         401, "session_expired")
        # An expired session stays dead.
        self.assertError(self.svc.request("GET", "/api/v1/me", token=token),
                         401, "unauthorized")

    def test_lockout_after_five_failures(self):
        r = self.svc.add_user("lock@example.jp", "Lock Test", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        for _ in range(4):
            self.assertError(self.login("lock@example.jp", "Wrong-pass1"),
                             401, "invalid_credentials")
        # The fifth failure locks, and says so.
        self.assertError(self.login("lock@example.jp", "Wrong-pass1"),
                         423, "account_locked")
        # Locked now: even the right password is refused, with the time.
        status, _, body = self.login("lock@example.jp")
        self.assertError((status, None, body), 423, "account_locked")
        self.assertIn("until", body["error"]["params"])
        self.svc.advance(86401)
        self.assertEqual(self.login("lock@example.jp")[0], 201)

    def test_request_shape_errors(self):
        s = self.svc
        self.assertError(s.request("POST", "/api/v1/session", raw=b"{"),
                         400, "malformed_json")
        self.assertError(s.request("POST", "/api/v1/session", raw=b"[]"),
                         400, "malformed_json")
        self.assertError(s.request("POST", "/api/v1/session",
                                   raw=b'{"user_id":"\xff"}'),
                         400, "invalid_encoding")
        self.assertError(s.request("POST", "/api/v1/session",
                                   {"user_id": 1, "password": "x"}),
                         400, "wrong_type", "user_id")
        self.assertError(s.request("POST", "/api/v1/session",
                                   {"user_id": "a@b.jp"}),
                         400, "missing_field", "password")
        self.assertError(s.request("POST", "/api/v1/session",
                                   {"user_id": "a@b.jp", "password": "x",
                                    "admin": True}),
                         400, "unknown_field", "admin")
        self.assertError(s.request("POST", "/api/v1/session",
                                   {"user_id": "a@b.jp", "password": "x",
                                    "lang": "fr"}),
                         422, "bad_format", "lang")
        self.assertError(s.request("POST", "/api/v1/session",
                                   {"user_id": "x" * 300, "password": "x"}),
                         422, "too_long", "user_id")
        self.assertError(s.request("POST", "/api/v1/session",
                                   raw=b"user_id=a",
                                   headers={"Content-Type": "text/plain"}),
                         415, "unsupported_media_type")
        self.assertError(s.request("GET", "/api/v1/nothing"), 404, "not_found")
        status, headers, body = s.request("PUT", "/api/v1/info")
        self.assertError((status, headers, body), 405, "method_not_allowed")
        self.assertIn("GET", headers["Allow"])
        self.assertError(s.request("GET", "/api/v1/me"), 401, "unauthorized")
        self.assertError(s.request("GET", "/api/v1/me", token="x" * 43),
                         401, "unauthorized")

    def test_oversized_body(self):
        status, _, body = self.svc.request(
            "POST", "/api/v1/session",
            raw=b'{"user_id":"' + b"a" * 70000 + b'"}')
        self.assertEqual(status, 413)
        self.assertEqual(body["error"]["code"], "body_too_large")
        self.assertEqual(self.svc.request("GET", "/api/v1/info")[0], 200)

    def test_json_test_suite_rejections(self):
        corpus = os.environ.get("JSON_CORPUS")
        files = sorted(glob.glob(os.path.join(corpus, "n_*.json")))
        self.assertGreater(len(files), 100, "corpus not found: " + corpus)
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            status, _, body = self.svc.request("POST", "/api/v1/session",
                                               raw=data)
            with self.subTest(file=os.path.basename(path)):
                self.assertGreaterEqual(status, 400)
                self.assertLess(status, 500)
                self.assertIn(body["error"]["code"],
                              {"malformed_json", "invalid_encoding",
                               "body_too_large"})
        self.assertEqual(self.svc.request("GET", "/api/v1/info")[0], 200)

    def test_password_never_logged(self):
        self.login(password="Wrong-pass-LOGCHECK1")
        self.login()
        log = self.svc.read_log()
        self.assertNotIn("LOGCHECK", log)
        self.assertNotIn(PASSWORD, log)


class AdminTest(unittest.TestCase):
    def test_user_add_refuses_weak_password_and_duplicates(self):
        svc = Service()
        try:
            r = svc.add_user("weak@example.jp", "Weak", "abcdefgh")
            self.assertNotEqual(r.returncode, 0)
            r = svc.add_user("ok@example.jp", "OK", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn(PASSWORD, r.stdout + r.stderr)
            r = svc.add_user("ok@example.jp", "OK again", PASSWORD)
            self.assertNotEqual(r.returncode, 0)
            ((h,),) = svc.sql("SELECT password_hash FROM users")
            self.assertTrue(h.startswith("$argon2id$"), h)
            if svc.engine == "sqlite":
                ((mode,),) = svc.sql("PRAGMA journal_mode")
                self.assertEqual(mode, "wal")
        finally:
            svc.stop()
            svc.cleanup()

    def test_connection_string_never_shown(self):
        # A PostgreSQL connection string may hold a password: neither
        # the service nor an admin command prints it when the database
        # cannot be reached.
        d = tempfile.mkdtemp(prefix="madoguchid-api.")
        try:
            conf = os.path.join(d, "madoguchid.conf")
            for target in ("postgresql://madoguchi:Secret-PW-42@/accounts"
                           f"?host={d}/no-such-socket",
                           f"host={d}/no-such-socket dbname=accounts "
                           "user=madoguchi password=Secret-PW-42"):
                with open(conf, "w") as f:
                    f.write(f"data_dir = {d}\nport = 0\n"
                            f"database = {target}\n")
                for args in ([], ["user-list"]):
                    r = subprocess.run([os.environ["MADOGUCHID"],
                                        "--config", conf, *args],
                                       capture_output=True, text=True,
                                       timeout=60)
                    out = r.stderr + r.stdout
                    self.assertNotEqual(r.returncode, 0, out)
                    self.assertIn("PostgreSQL", out)
                    self.assertNotIn("Secret-PW-42", out)
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
