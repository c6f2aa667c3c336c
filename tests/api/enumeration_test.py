"""No user enumeration (issue: "identical for known and unknown addresses
and IDs, in content and closely in time"): registration, the user-ID
reminder (A1) and the password reset request (A2) answer the same status
and body, and take about as long, whether or not the account exists.
Known and unknown requests are interleaved so that a slow moment of the
machine falls on both alike; medians are compared."""

import os
import statistics
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi-2025"
ROUNDS = 15
# ROUNDS requests for the one known target, more than the default rate
# limit per target allows in an hour (ratelimit_test.py tests that).
LIMITS = ["rate_registration_per_target = 100",
          "rate_recovery_per_target = 100"]


def timed(svc, path, body):
    start = time.perf_counter()
    status, _, answer = svc.request("POST", path, body)
    return time.perf_counter() - start, status, answer


class EnumerationTest(unittest.TestCase):
    def compare(self, svc, path, known, unknown, strip=()):
        t_known, t_unknown = [], []
        shapes = set()
        for i in range(ROUNDS):
            for body, times in ((known(i), t_known), (unknown(i), t_unknown)):
                elapsed, status, answer = timed(svc, path, body)
                times.append(elapsed)
                # Per-request values (a fresh handle, a time) differ by
                # nature; everything else must be the same.
                shown = {k: v for k, v in (answer or {}).items()
                         if k not in strip}
                shapes.add((status, tuple(sorted((answer or {}).keys())),
                            repr(sorted(shown.items()))))
        self.assertEqual(len(shapes), 1, f"{path}: answers differ: {shapes}")
        mk, mu = statistics.median(t_known), statistics.median(t_unknown)
        # Within 25 ms or a third of the slower, whichever is larger.
        allowed = max(0.025, max(mk, mu) / 3)
        self.assertLess(abs(mk - mu), allowed,
                        f"{path}: known {mk*1000:.1f} ms, "
                        f"unknown {mu*1000:.1f} ms")
        return mk, mu

    def test_lgpos_registration_and_reset(self):
        svc = Service(LIMITS)
        try:
            r = svc.add_user("known@example.jp", "Known", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.compare(
                svc, "/api/v1/registrations",
                lambda i: {"email": "known@example.jp",
                           "email_confirm": "known@example.jp", "lang": "en"},
                lambda i: {"email": f"new{i}@example.jp",
                           "email_confirm": f"new{i}@example.jp",
                           "lang": "en"},
                strip=("registration", "expires_at"))
            self.compare(
                svc, "/api/v1/recovery/password",
                lambda i: {"user_id": "known@example.jp",
                           "email": "known@example.jp", "lang": "en"},
                lambda i: {"user_id": f"nobody{i}@example.jp",
                           "email": f"nobody{i}@example.jp", "lang": "en"})
        finally:
            svc.stop()
            svc.cleanup()

    def test_immigration_user_id_reminder(self):
        svc = Service(["profile = immigration"] + LIMITS)
        try:
            out = __import__("subprocess").run(
                [os.environ["MADOGUCHID"], "--config", svc.conf, "user-add",
                 "--name-latin", "NGUYEN VAN AN", "--category",
                 "foreign_national", "--email", "an@example.jp"],
                input="Madoguchi-2025!\n", capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.compare(
                svc, "/api/v1/recovery/user-id",
                lambda i: {"email": "an@example.jp",
                           "name_latin": "NGUYEN VAN AN", "lang": "en"},
                lambda i: {"email": f"other{i}@example.jp",
                           "name_latin": "NGUYEN VAN AN", "lang": "en"})
        finally:
            svc.stop()
            svc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
