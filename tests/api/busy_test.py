"""service_busy (docs/api.md): password hashing runs at most
hash_concurrency at a time; a request that cannot get a slot within
hash_wait seconds is answered 503 service_busy with Retry-After, and the
service goes on answering.  With one slot and no wait, a burst of log-ins
must meet it."""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi2025"


class BusyTest(unittest.TestCase):
    def test_burst_gets_service_busy_with_retry_after(self):
        svc = Service(["hash_concurrency = 1", "hash_wait = 0"])
        try:
            r = svc.add_user("busy@example.jp", "Busy", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
            results = []
            lock = threading.Lock()
            start = threading.Barrier(12)

            def login():
                start.wait()
                status, headers, body = svc.request(
                    "POST", "/api/v1/session",
                    {"user_id": "busy@example.jp", "password": PASSWORD})
                with lock:
                    results.append((status, headers, body))

            threads = [threading.Thread(target=login) for _ in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            statuses = [r[0] for r in results]
            self.assertTrue(all(s in (201, 503) for s in statuses), statuses)
            self.assertIn(201, statuses)
            busy = [r for r in results if r[0] == 503]
            self.assertTrue(busy, "no 503 with one slot and no wait")
            for _, headers, body in busy:
                self.assertEqual(body["error"]["code"], "service_busy")
                self.assertEqual(headers["Retry-After"], "1")
            # Not a lock-out: the busy answers did not count as failures.
            self.assertEqual(svc.request("POST", "/api/v1/session", {
                "user_id": "busy@example.jp", "password": PASSWORD})[0], 201)
        finally:
            svc.stop()
            svc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
