"""API tests of recovery without logging in (SPEC A1-A3, L2, L3;
docs/api.md "Recovery"): the forgotten user ID, the password reset by a
mailed key (lockout lifted, sessions ended, expiry, tries, no
enumeration, newer key wins), and the password change with the current
password, which is how an expired oss password is replaced."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import (  # noqa: E402
    ErrorAssertions, Service, key_from, user_add)

PASSWORD = "Madoguchi2025"
NEW_PASSWORD = "Shinjuku-2026"
IM_PASSWORD = "Kawasaki#2025x"


class Common(ErrorAssertions):
    def login(self, user_id, password):
        return self.svc.request("POST", "/api/v1/session",
                                {"user_id": user_id, "password": password})

    def outbox(self, recipient):
        rows = self.svc.sql("SELECT kind FROM mail_outbox WHERE "
                            "recipient = ? ORDER BY id", recipient)
        return [r[0] for r in rows]


class ResetTest(Common, unittest.TestCase):
    """A2 in lgpos."""

    @classmethod
    def setUpClass(cls):
        cls.svc = Service([])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def add(self, email):
        r = self.svc.add_user(email, "試験 利用者", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)

    def ask(self, user_id, email, lang="ja"):
        return self.svc.request("POST", "/api/v1/recovery/password",
                                {"user_id": user_id, "email": email,
                                 "lang": lang})

    def reset(self, user_id, key, password=NEW_PASSWORD, confirm=None):
        return self.svc.request("POST", "/api/v1/recovery/password/reset", {
            "user_id": user_id, "key": key, "new_password": password,
            "new_password_confirm": confirm or password})

    def test_reset_unlocks_and_ends_sessions(self):
        email = "reset@example.jp"
        self.add(email)
        tokens = [self.login(email, PASSWORD)[2]["token"] for _ in range(2)]
        for _ in range(5):
            self.login(email, "Wrong-pass1")
        self.assertError(self.login(email, PASSWORD), 423, "account_locked")
        status, _, body = self.ask(email, email)
        self.assertEqual(status, 202, body)
        self.assertEqual(body, {"key_ttl": 86400, "key_length": 12})
        mail = self.svc.wait_mail(email)[0]
        key = key_from(Service.body(mail))
        self.assertEqual(len(key.replace("-", "")), 12)
        # Rules first, without spending the key.
        self.assertError(self.reset(email, key, "short"), 422, "too_short",
                         "new_password")
        self.assertError(self.reset(email, key, NEW_PASSWORD, "Other-2026"),
                         422, "mismatch", "new_password_confirm")
        self.assertError(self.reset(email, key, "Password1"), 422,
                         "common_password", "new_password")
        self.assertError(self.reset(email, key, PASSWORD), 422,
                         "same_password", "new_password")
        status, _, body = self.reset(email, key.lower())
        self.assertEqual(status, 200, body)
        self.assertEqual(body, {})
        # Every session is over; the lock is lifted (003 §2.2).
        for t in tokens:
            self.assertError(self.svc.request("GET", "/api/v1/me", token=t),
                             401, "unauthorized")
        self.assertEqual(self.login(email, NEW_PASSWORD)[0], 201)
        self.assertError(self.login(email, PASSWORD), 401,
                         "invalid_credentials")
        # The key is spent; a completion mail came.
        self.assertError(self.reset(email, key, "Another-2027"), 410,
                         "code_expired", "key")
        mails = self.svc.wait_mail(email, 2)
        self.assertIn(email, Service.body(mails[1]))
        self.assertNotEqual(mails[1]["Subject"], mails[0]["Subject"])

    def test_key_expires(self):
        email = "late@example.jp"
        self.add(email)
        self.assertEqual(self.ask(email, email)[0], 202)
        key = key_from(Service.body(self.svc.wait_mail(email)[0]))
        self.svc.advance(86401)
        self.assertError(self.reset(email, key), 410, "code_expired", "key")
        self.assertEqual(self.login(email, PASSWORD)[0], 201)

    def test_tries_then_void(self):
        email = "guess@example.jp"
        self.add(email)
        self.assertEqual(self.ask(email, email)[0], 202)
        key = key_from(Service.body(self.svc.wait_mail(email)[0]))
        for remaining in (4, 3, 2, 1):
            err = self.assertError(self.reset(email, "AAAA-AAAA-AAAA"), 422,
                                   "wrong_code", "key")
            self.assertEqual(err["params"], {"remaining": remaining})
        self.assertError(self.reset(email, "AAAA-AAAA-AAAA"), 410,
                         "code_void", "key")
        self.assertError(self.reset(email, key), 410, "code_void", "key")

    def test_unknown_id_and_wrong_address_answer_alike(self):
        email = "known-reset@example.jp"
        self.add(email)
        good = self.ask(email, email)
        unknown = self.ask("nobody@example.jp", "nobody@example.jp")
        wrong = self.ask(email, "someone-else@example.jp")
        self.assertEqual(good[0], 202)
        self.assertEqual(unknown[0], 202)
        self.assertEqual(wrong[0], 202)
        self.assertEqual(good[2], unknown[2])
        self.assertEqual(good[2], wrong[2])
        # The real one's mail arrives; the others get none, not even
        # queued (the worker delivers in order, so they would be here).
        self.svc.wait_mail(email)
        self.assertEqual(self.svc.mails("nobody@example.jp"), [])
        self.assertEqual(self.svc.mails("someone-else@example.jp"), [])
        self.assertEqual(self.outbox("nobody@example.jp"), [])
        self.assertEqual(self.outbox("someone-else@example.jp"), [])
        # A reset for an unknown ID looks like one with no key.
        self.assertError(self.reset("nobody@example.jp", "AAAA-AAAA-AAAA"),
                         410, "code_expired", "key")

    def test_newer_key_voids_older(self):
        email = "twice@example.jp"
        self.add(email)
        self.ask(email, email)
        first = key_from(Service.body(self.svc.wait_mail(email, 1)[0]))
        self.ask(email, email)
        second = key_from(Service.body(self.svc.wait_mail(email, 2)[1]))
        self.assertNotEqual(first, second)
        self.assertError(self.reset(email, first), 422, "wrong_code", "key")
        self.assertEqual(self.reset(email, second)[0], 200)


class UserIdTest(Common, unittest.TestCase):
    """A1 in immigration."""

    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration"])
        cls.user_id = user_add(cls.svc, [
            "--name-latin", "NGUYEN VAN AN", "--category",
            "foreign_national", "--email", "an@example.com"],
            IM_PASSWORD + "\n")[0]

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def ask(self, email, name):
        return self.svc.request("POST", "/api/v1/recovery/user-id",
                                {"email": email, "name_latin": name,
                                 "lang": "en"})

    def test_match_and_no_match_answer_alike(self):
        self.assertRegex(self.user_id, r"^IM\d{8}$")
        miss = self.ask("an@example.com", "NGUYEN VAN BINH")
        hit = self.ask("an@example.com", "NGUYEN VAN AN")
        self.assertEqual(miss[0], 202)
        self.assertEqual(hit[0], 202)
        self.assertEqual(miss[2], {})
        self.assertEqual(hit[2], miss[2])
        mails = self.svc.wait_mail("an@example.com")
        self.assertIn(self.user_id, Service.body(mails[0]))
        self.assertEqual(len(self.svc.mails("an@example.com")), 1)
        self.assertEqual(self.outbox("an@example.com"),
                         ["user_id_reminder"])
        self.assertError(self.ask("an@example.com", "nguyen"), 422,
                         "bad_characters", "name_latin")

    def test_password_reset_in_immigration(self):
        user_id = user_add(self.svc, [
            "--name-latin", "MARIA SANTOS", "--category", "attorney",
            "--email", "maria@example.com"], IM_PASSWORD + "\n")[0]
        status, _, body = self.svc.request(
            "POST", "/api/v1/recovery/password",
            {"user_id": user_id, "email": "maria@example.com"})
        self.assertEqual(status, 202, body)
        mail = self.svc.wait_mail("maria@example.com")[0]
        self.assertIn(user_id, Service.body(mail))
        key = key_from(Service.body(mail))
        status, _, body = self.svc.request(
            "POST", "/api/v1/recovery/password/reset",
            {"user_id": user_id, "key": key,
             "new_password": "Shibuya$2026x",
             "new_password_confirm": "Shibuya$2026x"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.login(user_id, "Shibuya$2026x")[0], 201)


class OssChangeTest(Common, unittest.TestCase):
    """A3 and L3 in oss: 60 days, then change with the current password."""

    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = oss"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def change(self, user_id, current, new, confirm=None):
        return self.svc.request("POST", "/api/v1/password", {
            "user_id": user_id, "current_password": current,
            "new_password": new, "new_password_confirm": confirm or new,
            "lang": "ja"})

    def test_expired_password_is_changed(self):
        pay, bulk = user_add(self.svc, [
            "--name", "軽自動車 太郎", "--email", "kei@example.jp"],
            PASSWORD + "\nBulk-pass2025\n")
        self.assertRegex(pay, r"^KN[A-Z]{2}\d{4}$")
        self.assertEqual(bulk, "KI" + pay[2:])
        self.assertEqual(self.login(pay, PASSWORD)[0], 201)
        self.svc.advance(61 * 86400)
        self.assertError(self.login(pay, PASSWORD), 403, "password_expired")
        # A wrong current password counts like a failed log-in.
        self.assertError(self.change(pay, "Wrong-pass1", NEW_PASSWORD),
                         401, "invalid_credentials")
        self.assertError(self.change(pay, PASSWORD, PASSWORD), 422,
                         "same_password", "new_password")
        self.assertError(self.change(pay, PASSWORD, NEW_PASSWORD,
                                     "Other-2026"),
                         422, "mismatch", "new_password_confirm")
        status, _, body = self.change(pay, PASSWORD, NEW_PASSWORD)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.login(pay, NEW_PASSWORD)[0], 201)
        mail = self.svc.wait_mail("kei@example.jp")[0]
        self.assertIn(pay, Service.body(mail))
        # The 60 days start again from the change (002 §2).
        self.svc.advance(59 * 86400)
        self.assertEqual(self.login(pay, NEW_PASSWORD)[0], 201)
        self.svc.advance(2 * 86400)
        self.assertError(self.login(pay, NEW_PASSWORD), 403,
                         "password_expired")

    def test_change_locks_like_login(self):
        pay, _ = user_add(self.svc, [
            "--name", "施錠 試験", "--email", "lock@example.jp",
            "--kind", "corporation"], PASSWORD + "\nBulk-pass2025\n")
        token = self.login(pay, PASSWORD)[2]["token"]
        for _ in range(4):
            self.assertError(self.change(pay, "Wrong-pass1", NEW_PASSWORD),
                             401, "invalid_credentials")
        self.assertError(self.change(pay, "Wrong-pass1", NEW_PASSWORD),
                         423, "account_locked")
        err = self.assertError(self.change(pay, PASSWORD, NEW_PASSWORD),
                               423, "account_locked")
        self.assertIn("until", err["params"])
        self.svc.advance(86401)
        self.assertEqual(self.change(pay, PASSWORD, NEW_PASSWORD)[0], 200)
        # The change ended the sessions of the old password.
        self.assertIn(self.svc.request("GET", "/api/v1/me",
                                       token=token)[0], (401,))
        # Unknown IDs are told nothing more.
        self.assertError(self.change("KNZZ0000", PASSWORD, NEW_PASSWORD),
                         401, "invalid_credentials")


if __name__ == "__main__":
    unittest.main()
