"""API tests of registration (SPEC R1-R7, docs/api.md "Registration"):
lgpos individual and business and immigration end to end with the code or
key read from the mail, every field rule, the code's tries and expiry,
no enumeration of known addresses, and a handle that completes once."""

import os
import re
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import (  # noqa: E402
    ErrorAssertions, Service, code_from, key_from)

PASSWORD = "Madoguchi2025"
IM_PASSWORD = "Kawasaki#2025x"

INDIVIDUAL = {
    "type": "individual",
    "family_name": "山田", "given_name": "太郎",
    "family_name_kana": "ヤマダ", "given_name_kana": "タロウ",
    "postal_code": "5400008", "address": "大阪府大阪市中央区大手前2丁目",
    "phone": "0669410351", "birth_date": "1980-04-01", "gender": "male",
    "notify_mail": "yes",
}
BUSINESS = {
    "type": "business",
    "corporation_name": "川崎商事株式会社",
    "corporation_name_kana": "カワサキショウジ",
    "address": "神奈川県川崎市川崎区宮本町1番地",
    "representative": "川崎 一郎", "phone": "0442002111",
    "department": "総務部", "contact_name": "中原 花子",
    "contact_birth_date": "1990-12-31",
}


class Common(ErrorAssertions):
    def start(self, email, lang="ja"):
        status, _, body = self.svc.request(
            "POST", "/api/v1/registrations",
            {"email": email, "email_confirm": email, "lang": lang})
        self.assertEqual(status, 202, body)
        return body

    def verified(self, email):
        """A registration verified with the code from its mail."""
        handle = self.start(email)["registration"]
        mail = self.svc.wait_mail(email)[-1]
        body = Service.body(mail)
        code = code_from(body) if self.kind == "digits" else key_from(body)
        status, _, got = self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": handle, "code": code})
        self.assertEqual(status, 200, got)
        self.assertEqual(got["email"], email)
        return handle

    def complete(self, handle, details, password=PASSWORD, confirm=None,
                 **extra):
        body = {"registration": handle, "password": password,
                "password_confirm": confirm or password, "lang": "ja",
                **details, **extra}
        return self.svc.request("POST", "/api/v1/registrations/complete",
                                body)



class LgposRegistrationTest(Common, unittest.TestCase):
    kind = "digits"

    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["idle_timeout = 3600"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_individual_end_to_end(self):
        email = "taro@example.jp"
        start = self.start(email)
        self.assertEqual(start["code_kind"], "digits")
        self.assertEqual(start["code_length"], 6)
        self.assertEqual(start["code_ttl"], 1800)
        self.assertEqual(len(start["registration"]), 43)
        self.assertIn("no-reply", start["sender"])
        body = Service.body(self.svc.wait_mail(email)[0])
        self.assertIn("30", body)   # valid 30 minutes (000 ④)
        code = code_from(body)
        status, _, got = self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": start["registration"], "code": code})
        self.assertEqual(status, 200, got)
        status, _, done = self.complete(start["registration"], INDIVIDUAL)
        self.assertEqual(status, 201, done)
        self.assertEqual(done["user_id"], email)
        self.assertEqual(done["user"], {"user_id": email,
                                        "name": "山田 太郎"})
        self.assertEqual(len(done["token"]), 43)
        self.assertEqual(done["idle_timeout"], 3600)
        status, _, me = self.svc.request("GET", "/api/v1/me",
                                         token=done["token"])
        self.assertEqual(status, 200, me)
        self.assertEqual(me["type"], "individual")
        expected = {k: v for k, v in INDIVIDUAL.items() if k != "type"}
        self.assertEqual(me["details"], expected)
        self.assertEqual(me["email"], email)
        # The completion mail names the user ID (R7).
        mails = self.svc.wait_mail(email, 2)
        self.assertIn(email, Service.body(mails[1]))
        # The code is single-use and the handle dead.
        self.assertError(self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": start["registration"], "code": code}),
            410, "code_expired", "code")
        # The new password logs in; the code was never stored in clear.
        status, _, _ = self.svc.request("POST", "/api/v1/session", {
            "user_id": email, "password": PASSWORD})
        self.assertEqual(status, 201)
        rows = self.svc.sql("SELECT details, kind FROM users WHERE "
                            "user_id = ?", email)
        self.assertEqual(rows[0][1], "individual")

    def test_business_end_to_end(self):
        email = "soumu@kawasaki-shoji.example.jp"
        handle = self.verified(email)
        status, _, done = self.complete(handle, BUSINESS)
        self.assertEqual(status, 201, done)
        self.assertEqual(done["user"]["name"], "川崎商事株式会社")
        status, _, me = self.svc.request("GET", "/api/v1/me",
                                         token=done["token"])
        self.assertEqual(me["type"], "business")
        self.assertEqual(me["details"]["department"], "総務部")
        self.assertEqual(me["details"]["notify_mail"], "no")  # default
        self.assertNotIn("postal_code", me["details"])

    def test_field_rules(self):
        handle = self.verified("rules@example.jp")
        ind = INDIVIDUAL
        cases = [
            (ind, {"family_name": ""}, 422, "required", "family_name"),
            (ind, {"given_name": "長" * 65}, 422, "too_long", "given_name"),
            (ind, {"family_name_kana": "やまだ"}, 422, "bad_characters",
             "family_name_kana"),
            (ind, {"given_name_kana": "ア" * 65}, 422, "too_long",
             "given_name_kana"),
            (ind, {"postal_code": "540-0008"}, 422, "bad_characters",
             "postal_code"),
            (ind, {"postal_code": "540000"}, 422, "too_short",
             "postal_code"),
            (ind, {"address": "あ" * 129}, 422, "too_long", "address"),
            (ind, {"phone": "06-6941-0351"}, 422, "bad_characters",
             "phone"),
            (ind, {"phone": "066941035"}, 422, "too_short", "phone"),
            (ind, {"birth_date": "1980-02-30"}, 422, "bad_format",
             "birth_date"),
            (ind, {"birth_date": "2999-01-01"}, 422, "bad_format",
             "birth_date"),
            (ind, {"gender": "other"}, 422, "bad_format", "gender"),
            (ind, {"notify_mail": "maybe"}, 422, "bad_format",
             "notify_mail"),
            (ind, {"corporation_name": "X社"}, 400, "unknown_field",
             "corporation_name"),
            (ind, {"type": "company"}, 422, "bad_format", "type"),
            (BUSINESS, {"contact_birth_date": "19901231"}, 422,
             "bad_format", "contact_birth_date"),
            (BUSINESS, {"corporation_name_kana": "kawasaki"}, 422,
             "bad_characters", "corporation_name_kana"),
            (BUSINESS, {"gender": "male"}, 400, "unknown_field", "gender"),
            (BUSINESS, {"department": ""}, 422, "required", "department"),
        ]
        for base, change, status, code, field in cases:
            with self.subTest(change=change):
                self.assertError(self.complete(handle, {**base, **change}),
                                 status, code, field)
        # A required member left out.
        missing = dict(INDIVIDUAL)
        del missing["phone"]
        self.assertError(self.complete(handle, missing), 400,
                         "missing_field", "phone")
        # Password rules (001: 8+, two classes), then the confirmation.
        err = self.assertError(self.complete(handle, ind, "Ab1"), 422,
                               "too_short", "password")
        self.assertEqual(err["params"], {"min": 8, "max": 64})
        self.assertError(self.complete(handle, ind, "abcdefghij"), 422,
                         "too_few_classes", "password")
        self.assertError(self.complete(handle, ind, PASSWORD,
                                       "Madoguchi2026"),
                         422, "mismatch", "password_confirm")
        # "Password1" meets 001's rule but is in cracklib's dictionary.
        self.assertError(self.complete(handle, ind, "Password1"), 422,
                         "common_password", "password")
        # None of that spent the handle.
        status, _, done = self.complete(handle, ind)
        self.assertEqual(status, 201, done)

    def test_address_rules(self):
        s = self.svc
        self.assertError(s.request("POST", "/api/v1/registrations", {
            "email": "a@example.jp", "email_confirm": "b@example.jp"}),
            422, "mismatch", "email_confirm")
        self.assertError(s.request("POST", "/api/v1/registrations", {
            "email": "a..b@example.jp", "email_confirm": "a..b@example.jp"}),
            422, "bad_email", "email")
        self.assertError(s.request("POST", "/api/v1/registrations", {
            "email": "a@example.jp", "email_confirm": "a@example.jp",
            "lang": "fr"}), 422, "bad_format", "lang")
        self.assertError(s.request("POST", "/api/v1/registrations", {
            "email": "a@example.jp", "email_confirm": "a@example.jp",
            "name": "x"}), 400, "unknown_field", "name")

    def test_wrong_codes_then_void(self):
        email = "tries@example.jp"
        handle = self.start(email)["registration"]
        right = code_from(Service.body(self.svc.wait_mail(email)[0]))
        wrong = "%06d" % ((int(right) + 1) % 1000000)
        for remaining in (4, 3, 2, 1):
            err = self.assertError(self.svc.request(
                "POST", "/api/v1/registrations/verify",
                {"registration": handle, "code": wrong}),
                422, "wrong_code", "code")
            self.assertEqual(err["params"], {"remaining": remaining})
        self.assertError(self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": handle, "code": wrong}), 410, "code_void",
            "code")
        # Void for good: the right code no longer helps.
        self.assertError(self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": handle, "code": right}), 410, "code_void",
            "code")

    def test_code_expires(self):
        email = "slow@example.jp"
        handle = self.start(email)["registration"]
        code = code_from(Service.body(self.svc.wait_mail(email)[0]))
        self.svc.advance(1801)
        self.assertError(self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": handle, "code": code}), 410, "code_expired",
            "code")
        # An unknown handle is answered the same way.
        self.assertError(self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": "A" * 43, "code": code}), 410,
            "code_expired", "code")

    def test_known_address_is_not_revealed(self):
        known = "known@example.jp"
        r = self.svc.add_user(known, "既存 利用者", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        fresh = self.start("fresh@example.jp")
        got = self.start(known)
        self.assertEqual(set(got), set(fresh))
        self.assertEqual({k: v for k, v in got.items()
                          if k not in ("registration", "expires_at")},
                         {k: v for k, v in fresh.items()
                          if k not in ("registration", "expires_at")})
        # The known address is told it has an account, and gets no code.
        mail = self.svc.wait_mail(known)[0]
        code_mail = self.svc.wait_mail("fresh@example.jp")[0]
        self.assertNotEqual(mail["Subject"], code_mail["Subject"])
        self.assertIsNone(re.search(r"\b\d{6}\b", Service.body(mail)))
        # Its handle never verifies.
        err = self.assertError(self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": got["registration"], "code": "123456"}),
            422, "wrong_code", "code")
        self.assertEqual(err["params"], {"remaining": 4})
        # And an unverified handle cannot complete.
        self.assertError(self.complete(got["registration"], INDIVIDUAL),
                         422, "wrong_code", "registration")

    def test_handle_completes_once(self):
        handle = self.verified("once@example.jp")
        self.assertEqual(self.complete(handle, INDIVIDUAL)[0], 201)
        self.assertError(self.complete(handle, INDIVIDUAL), 410,
                         "code_expired", "registration")

    def test_racing_completions_make_one_user(self):
        handle = self.verified("race@example.jp")
        results = []

        def go():
            results.append(self.complete(handle, INDIVIDUAL)[0])

        threads = [threading.Thread(target=go) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [201, 410, 410, 410])
        ((n,),) = self.svc.sql("SELECT COUNT(*) FROM users WHERE email = ?",
                               "race@example.jp")
        self.assertEqual(n, 1)


class ImmigrationRegistrationTest(Common, unittest.TestCase):
    kind = "key"

    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_key_flow_issues_an_id(self):
        email = "an.nguyen@example.com"
        start = self.start(email, lang="vi")
        self.assertEqual(start["code_kind"], "key")
        self.assertEqual(start["code_length"], 12)
        self.assertEqual(start["code_ttl"], 86400)
        key = key_from(Service.body(self.svc.wait_mail(email)[0]))
        # Typed in lower case without hyphens, as a person might.
        status, _, got = self.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": start["registration"],
             "code": key.replace("-", " ").lower()})
        self.assertEqual(status, 200, got)
        details = {"type": "foreign_national",
                   "name_latin": "NGUYEN VAN AN", "phone": "09012345678"}
        # 003 §3: 10-20 characters, all four classes.
        self.assertError(self.complete(start["registration"], details,
                                       PASSWORD), 422, "too_few_classes",
                         "password")
        self.assertError(self.complete(start["registration"],
                                       {**details,
                                        "name_latin": "Nguyen Van An"}),
                         422, "bad_characters", "name_latin")
        self.assertError(self.complete(start["registration"],
                                       {**details, "gender": "male"}),
                         400, "unknown_field", "gender")
        status, _, done = self.complete(start["registration"], details,
                                        IM_PASSWORD)
        self.assertEqual(status, 201, done)
        user_id = done["user_id"]
        self.assertRegex(user_id, r"^IM\d{8}$")
        self.assertEqual(done["user"]["user_id"], user_id)
        self.assertEqual(done["user"]["name"], "NGUYEN VAN AN")
        mails = self.svc.wait_mail(email, 2)
        self.assertIn(user_id, Service.body(mails[1]))
        status, _, login = self.svc.request("POST", "/api/v1/session", {
            "user_id": user_id, "password": IM_PASSWORD})
        self.assertEqual(status, 201, login)
        status, _, me = self.svc.request("GET", "/api/v1/me",
                                         token=login["token"])
        self.assertEqual(me["name_latin"], "NGUYEN VAN AN")
        self.assertEqual(me["type"], "foreign_national")
        self.assertEqual(me["details"], {"phone": "09012345678"})


class OssRegistrationTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = oss"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_not_available(self):
        for path in ("/api/v1/registrations",
                     "/api/v1/registrations/verify",
                     "/api/v1/registrations/complete"):
            self.assertError(self.svc.request("POST", path, {}), 404,
                             "not_available")


if __name__ == "__main__":
    unittest.main()
