"""Several instances of madoguchid on one database (issue 12, "Nothing
held in one process"): three services share a database (one PostgreSQL
database, or one SQLite file) and a clock.  A session made through one
works on the others and ends on all of them at log-out; failed log-ins
spread over the three lock the account, for a real user ID and for an
unknown one alike; and a rate limit counts the attempts made through
all of them.  Instances started together on a new database make its
schema once between them (PostgreSQL: under an advisory lock).  A
PostgreSQL server that goes away is a busy service (503), and the
instance carries on once it is back, also when it is stopped and
started under load."""

import concurrent.futures
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import ENGINE, ErrorAssertions, Service  # noqa: E402

PASSWORD = "Madoguchi2025"
CONFIG = ["rate_registration_per_target = 2"]


class SharedStoreTest(ErrorAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = Service(CONFIG)
        cls.b = Service(CONFIG, share=cls.a)
        cls.c = Service(CONFIG, share=cls.a)
        cls.all = (cls.a, cls.b, cls.c)
        for user in ("taro@example.jp", "lock@example.jp"):
            r = cls.a.add_user(user, "Test", PASSWORD)
            assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        for svc in cls.all:
            assert svc.stop() == 0
            svc.cleanup()

    @staticmethod
    def login(svc, user_id, password=PASSWORD):
        return svc.request("POST", "/api/v1/session",
                           {"user_id": user_id, "password": password})

    def test_session_made_on_one_works_on_the_others(self):
        status, _, body = self.login(self.a, "taro@example.jp")
        self.assertEqual(status, 201, body)
        token = body["token"]
        for svc in self.all:
            status, _, me = svc.request("GET", "/api/v1/me", token=token)
            self.assertEqual(status, 200, me)
            self.assertEqual(me["user_id"], "taro@example.jp")
        self.assertEqual(self.b.request("DELETE", "/api/v1/session",
                                        token=token)[0], 204)
        for svc in self.all:
            self.assertError(svc.request("GET", "/api/v1/me", token=token),
                             401, "unauthorized")

    def test_failures_over_three_instances_lock(self):
        # 003 §2.2: five failures lock, wherever they were made.
        for i in range(4):
            self.assertError(self.login(self.all[i % 3], "lock@example.jp",
                                        "Wrong-pass1"),
                             401, "invalid_credentials")
        self.assertError(self.login(self.b, "lock@example.jp", "Wrong-pass1"),
                         423, "account_locked")
        for svc in self.all:
            self.assertError(self.login(svc, "lock@example.jp"), 423,
                             "account_locked")

    def test_unknown_user_id_locks_alike(self):
        for i in range(4):
            self.assertError(self.login(self.all[i % 3], "nobody@example.jp",
                                        "Wrong-pass1"),
                             401, "invalid_credentials")
        for svc in self.all:
            self.assertError(self.login(svc, "nobody@example.jp"), 423,
                             "account_locked")

    def test_rate_limit_counts_every_instance(self):
        body = {"email": "victim@example.jp",
                "email_confirm": "victim@example.jp", "lang": "en"}
        for svc in (self.a, self.b):
            status, _, answer = svc.request("POST", "/api/v1/registrations",
                                            body)
            self.assertEqual(status, 202, answer)
        err = self.assertError(self.c.request(
            "POST", "/api/v1/registrations", body), 429, "rate_limited")
        self.assertGreater(err["params"]["retry_after"], 0)


class StartTogetherTest(unittest.TestCase):
    def test_instances_started_at_once_share_one_schema(self):
        scratch = tempfile.mkdtemp(prefix="madoguchid-api.")
        if ENGINE == "postgresql":
            import pgcluster
            cluster = pgcluster.shared()
            target = cluster.conninfo(cluster.new_database())
        else:
            target = os.path.join(scratch, "shared.sqlite")
        started, failed = [], []
        try:
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                futures = [pool.submit(Service, [f"database = {target}"])
                           for _ in range(4)]
                for f in futures:
                    try:
                        started.append(f.result(timeout=120))
                    except RuntimeError as e:
                        failed.append(str(e))
            self.assertEqual(failed, [], "instances did not start")
            r = started[0].add_user("first@example.jp", "First", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
            for svc in started:
                status, _, body = svc.request(
                    "POST", "/api/v1/session",
                    {"user_id": "first@example.jp", "password": PASSWORD})
                self.assertEqual(status, 201, body)
        finally:
            for svc in started:
                svc.stop()
                svc.cleanup()
            shutil.rmtree(scratch, ignore_errors=True)


@unittest.skipIf(ENGINE != "postgresql", "a SQLite file is never away")
class DatabaseAwayTest(ErrorAssertions, unittest.TestCase):
    def test_server_away_is_busy_then_back(self):
        import pgcluster
        cluster = pgcluster.shared()
        # One worker: its connection is made before the server goes,
        # and must be made again after.
        svc = Service(["workers = 1"])
        try:
            r = svc.add_user("away@example.jp", "Away", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
            status, _, body = svc.request("POST", "/api/v1/session", {
                "user_id": "away@example.jp", "password": PASSWORD})
            self.assertEqual(status, 201, body)
            token = body["token"]
            self.assertEqual(svc.request("GET", "/api/v1/me",
                                         token=token)[0], 200)
            cluster.stop()
            try:
                self.assertError(svc.request("GET", "/api/v1/me",
                                             token=token),
                                 503, "service_busy")
            finally:
                cluster.start()
            status, _, me = svc.request("GET", "/api/v1/me", token=token)
            self.assertEqual(status, 200, me)
            self.assertIn("connection restored", svc.read_log())
        finally:
            svc.stop()
            svc.cleanup()

    def test_server_restarted_under_load(self):
        """Clients keep reading, logging in and writing while PostgreSQL
        stops and starts: while it is away every answer is 503
        service_busy (never a 500 or a hang), and once it is back every
        worker's connection is made again and everything succeeds,
        without restarting the service."""
        import pgcluster
        import threading
        import time
        cluster = pgcluster.shared()
        # Log-ins many times a second: above the rate limits' defaults.
        svc = Service(["rate_login_per_target = 1000000",
                       "rate_login_per_client = 1000000"])
        try:
            users = [f"load{i}@example.jp" for i in range(4)]
            tokens = []
            for user in users:
                r = svc.add_user(user, "Load", PASSWORD)
                self.assertEqual(r.returncode, 0, r.stderr)
                status, _, body = svc.request("POST", "/api/v1/session", {
                    "user_id": user, "password": PASSWORD})
                self.assertEqual(status, 201, body)
                tokens.append(body["token"])
            seen = []  # (phase, what, status, error code)
            phase = ["up"]
            stop = threading.Event()

            def client(i):
                n = 0
                while not stop.is_set():
                    n += 1
                    if n % 5 == 0:
                        what, r = "log-in", svc.request(
                            "POST", "/api/v1/session",
                            {"user_id": users[i], "password": PASSWORD})
                    elif n % 2 == 0:
                        what, r = "write", svc.request(
                            "POST", "/api/v1/session/extend",
                            token=tokens[i])
                    else:
                        what, r = "read", svc.request(
                            "GET", "/api/v1/me", token=tokens[i])
                    code = (r[2] or {}).get("error", {}).get("code") \
                        if isinstance(r[2], dict) else None
                    seen.append((phase[0], what, r[0], code))

            threads = [threading.Thread(target=client, args=(i,))
                       for i in range(len(users))]
            for t in threads:
                t.start()
            try:
                time.sleep(1.5)
                phase[0] = "stopping"
                cluster.stop()
                phase[0] = "down"
                time.sleep(1.5)
                health = svc.request("GET", "/api/v1/health")[0]
                phase[0] = "starting"
                cluster.start()
                phase[0] = "back"
                time.sleep(3)
                phase[0] = "settled"
                time.sleep(1.5)
            finally:
                stop.set()
                for t in threads:
                    t.join(60)
            counts = {}
            for s in seen:
                key = (s[0], s[2])
                counts[key] = counts.get(key, 0) + 1
            print("answers by phase and status:", sorted(counts.items()),
                  file=sys.stderr)
            self.assertEqual(health, 503)
            self.assertEqual(svc.request("GET", "/api/v1/health")[0], 200)
            bad = [s for s in seen
                   if s[2] not in (200, 201) and
                   (s[2], s[3]) != (503, "service_busy")]
            self.assertEqual(bad, [], "answers other than success or "
                             "503 service_busy")
            down = [s for s in seen if s[0] == "down"]
            self.assertTrue(down, "no request was answered while the "
                            "database was away")
            self.assertTrue(all(s[2] == 503 for s in down), down)
            settled = [s for s in seen if s[0] == "settled"]
            for what in ("read", "write", "log-in"):
                ok = [s for s in settled if s[1] == what]
                self.assertTrue(ok, f"no {what} once the database was back")
                self.assertTrue(all(s[2] in (200, 201) for s in ok),
                                f"{what} failing after the restart: {ok}")
        finally:
            svc.stop()
            svc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
