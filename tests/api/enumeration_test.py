"""No user enumeration (issue: "identical for known and unknown addresses
and IDs, in content and closely in time"): registration, the user-ID
reminder (A1), the password reset request (A2) and the lockout of log-in
and A3 answer the same status and body, and take about as long, whether
or not the account exists.
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


class LockoutEnumerationTest(unittest.TestCase):
    """Lockout (003 §2.2, 5 failures -> 24 h by default) without telling
    which user IDs exist (issue 9): an unknown ID answers the same
    sequence, 401 four times then 423, and a locked answer costs a
    password hash for known and unknown IDs alike."""

    @classmethod
    def setUpClass(cls):
        cls.svc = Service()
        for uid in ("known@example.jp", "a3known@example.jp"):
            r = cls.svc.add_user(uid, "Known", PASSWORD)
            assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def login(self, user_id, password):
        return timed(self.svc, "/api/v1/session",
                     {"user_id": user_id, "password": password})

    @staticmethod
    def shape(status, answer):
        err = (answer or {}).get("error", {})
        return (status, err.get("code"), sorted(err.get("params", {})))

    def test_login_sequence_and_timing(self):
        known, unknown = "known@example.jp", "nobody@example.jp"
        seq = {known: [], unknown: []}
        for _ in range(6):
            for uid in (known, unknown):
                _, status, answer = self.login(uid, "Wrong-pass1")
                seq[uid].append(self.shape(status, answer))
        self.assertEqual([s[0] for s in seq[known]],
                         [401, 401, 401, 401, 423, 423])
        self.assertEqual(seq[unknown], seq[known])
        # Locked: the right password of the known ID is refused too.
        # Both locked answers take a password hash, as a wrong password
        # for an ID that is not locked does (a fresh unknown ID each
        # time); the three are interleaved so that a slow moment of the
        # machine falls on all alike, and their medians compared.
        t_known, t_unknown, t_open = [], [], []
        for i in range(9):
            elapsed, status, answer = self.login(known, PASSWORD)
            self.assertEqual(self.shape(status, answer)[:2],
                             (423, "account_locked"))
            t_known.append(elapsed)
            elapsed, status, answer = self.login(unknown, PASSWORD)
            self.assertEqual(self.shape(status, answer)[:2],
                             (423, "account_locked"))
            t_unknown.append(elapsed)
            elapsed, status, _ = self.login(f"probe{i}@example.jp",
                                            "Wrong-pass1")
            self.assertEqual(status, 401)
            t_open.append(elapsed)
        mk, mu = statistics.median(t_known), statistics.median(t_unknown)
        mo = statistics.median(t_open)
        shown = (f"locked known {mk*1000:.1f} ms, locked unknown "
                 f"{mu*1000:.1f} ms, wrong password {mo*1000:.1f} ms")
        self.assertLess(max(mk, mu) / min(mk, mu), 2.0, shown)
        # A wrong password also writes its count (an fsync), which a
        # slow disk may make cost more than the hash: a wider margin,
        # still far below the 20-fold of an answer without a hash.
        self.assertLess(max(mk, mu, mo) / min(mk, mu, mo), 3.0, shown)
        # The lock ends for both after lockout_duration; the unknown ID
        # then starts counting again.
        self.svc.advance(86401)
        self.assertEqual(self.login(known, PASSWORD)[1], 201)
        self.assertEqual(self.login(unknown, "Wrong-pass1")[1], 401)

    def test_password_change_sequence(self):
        """A3 (POST /api/v1/password) counts and locks unknown IDs too."""
        seq = {}
        for uid in ("a3known@example.jp", "A3NOBODY@example.jp"):
            seq[uid] = []
            for _ in range(6):
                _, status, answer = timed(self.svc, "/api/v1/password", {
                    "user_id": uid, "current_password": "Wrong-pass1",
                    "new_password": "Shinjuku-2026",
                    "new_password_confirm": "Shinjuku-2026"})
                seq[uid].append(self.shape(status, answer))
        self.assertEqual([s[0] for s in seq["a3known@example.jp"]],
                         [401, 401, 401, 401, 423, 423])
        self.assertEqual(seq["A3NOBODY@example.jp"],
                         seq["a3known@example.jp"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
