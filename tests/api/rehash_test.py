"""A stored password hash of another cost is made again, at the configured
cost, at the person's next log-in (issue 11: OWASP's argon2id cost by
default, hash_time and hash_memory): the person notices nothing, and the
hash left in the database is at the new cost."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi2025"
USER = "rehash@example.jp"


def stored(svc):
    return svc.sql("SELECT password_hash FROM users WHERE user_id = ?",
                   USER)[0][0]


class RehashTest(unittest.TestCase):
    def test_old_cost_made_again_at_log_in(self):
        # The cost a service had before: t = 1, m = 8 MiB.
        old = Service(["hash_time = 1", "hash_memory = 8192"])
        new = None
        try:
            self.assertEqual(old.add_user(USER, "Rehash", PASSWORD)
                             .returncode, 0)
            self.assertIn("$m=8192,t=1,p=1$", stored(old))
            # The same database, with today's defaults (OWASP).
            new = Service(share=old)
            login = {"user_id": USER, "password": PASSWORD}
            self.assertEqual(new.request("POST", "/api/v1/session",
                                         login)[0], 201)
            self.assertIn("$m=19456,t=2,p=1$", stored(new))
            self.assertIn("made again at the configured cost",
                          new.read_log())
            # Still the same password, and made again only once.
            before = stored(new)
            self.assertEqual(new.request("POST", "/api/v1/session",
                                         login)[0], 201)
            self.assertEqual(stored(new), before)
            self.assertEqual(new.read_log().count("made again"), 1)
            # A wrong password changes nothing.
            self.assertEqual(new.request("POST", "/api/v1/session", {
                "user_id": USER, "password": "Wrong-2025x"})[0], 401)
            self.assertEqual(stored(new), before)
        finally:
            for s in (new, old):
                if s is not None:
                    self.assertEqual(s.stop(), 0)
                    s.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
