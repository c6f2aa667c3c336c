"""API tests of My page (SPEC M1-M6, P4; docs/api.md "My page"): detail
changes per profile, the e-mail change with a mailed code, the password
change, the oss bulk-user password reset, and the session's own
endpoints (extend, and a look that does not extend)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import (  # noqa: E402
    ErrorAssertions, Service, code_from, key_from, user_add)

PASSWORD = "Madoguchi2025"
NEW_PASSWORD = "Shinjuku-2026"
IM_PASSWORD = "Kawasaki#2025x"


class Common(ErrorAssertions):
    def login(self, user_id, password=PASSWORD):
        status, _, body = self.svc.request(
            "POST", "/api/v1/session",
            {"user_id": user_id, "password": password, "lang": "ja"})
        self.assertEqual(status, 201, body)
        return body["token"]

    def patch(self, token, body):
        return self.svc.request("PATCH", "/api/v1/me", body, token=token)

    def register(self, email, details):
        """A registered lgpos user, through the API, with a session."""
        s = self.svc
        _, _, start = s.request("POST", "/api/v1/registrations", {
            "email": email, "email_confirm": email})
        code = code_from(Service.body(s.wait_mail(email)[0]))
        s.request("POST", "/api/v1/registrations/verify",
                  {"registration": start["registration"], "code": code})
        status, _, done = s.request("POST", "/api/v1/registrations/complete", {
            "registration": start["registration"], "password": PASSWORD,
            "password_confirm": PASSWORD, "lang": "ja", **details})
        self.assertEqual(status, 201, done)
        s.wait_mail(email, 2)
        return done["token"]

    def db_value(self, sql, *args):
        rows = self.svc.sql(sql, *args)
        return rows[0][0] if rows else None


INDIVIDUAL = {
    "type": "individual", "family_name": "山田", "given_name": "太郎",
    "family_name_kana": "ヤマダ", "given_name_kana": "タロウ",
    "postal_code": "5400008", "address": "大阪府大阪市中央区大手前2丁目",
    "phone": "0669410351", "birth_date": "1980-04-01", "gender": "male",
}


class LgposMyPageTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["idle_timeout = 600", "idle_warning = 60"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_patch_details(self):
        email = "patch@example.jp"
        token = self.register(email, INDIVIDUAL)
        before = self.svc.request("GET", "/api/v1/me", token=token)[2]
        self.svc.advance(10)
        status, _, me = self.patch(token, {
            "family_name": "佐藤", "phone": "09011112222",
            "notify_mail": "yes"})
        self.assertEqual(status, 200, me)
        self.assertEqual(me["name"], "佐藤 太郎")
        self.assertEqual(me["details"]["phone"], "09011112222")
        self.assertEqual(me["details"]["notify_mail"], "yes")
        self.assertEqual(me["details"]["address"], INDIVIDUAL["address"])
        self.assertGreater(me["updated_at"], before["updated_at"])
        mail = self.svc.wait_mail(email, 3)[2]
        self.assertIn(email, Service.body(mail))
        # Refused: another type's member, a column, rule errors.
        self.assertError(self.patch(token, {"corporation_name": "X社"}),
                         400, "unknown_field", "corporation_name")
        self.assertError(self.patch(token, {"email": "x@example.jp"}),
                         400, "unknown_field", "email")
        self.assertError(self.patch(token, {"phone": "090-1111-2222"}),
                         422, "bad_characters", "phone")
        self.assertError(self.patch(token, {"family_name": ""}), 422,
                         "required", "family_name")
        self.assertError(self.patch(token, {"gender": "x"}), 422,
                         "bad_format", "gender")
        # Nothing of those was stored.
        me = self.svc.request("GET", "/api/v1/me", token=token)[2]
        self.assertEqual(me["details"]["phone"], "09011112222")
        self.assertEqual(self.patch(None, {"phone": "0612345678"})[0], 401)

    def test_patch_account_made_by_user_add(self):
        """An lgpos account made by user-add has no type and no details;
        it may give the contact details My page offers it (postal code,
        address, phone: issue 10) and nothing else."""
        uid = "demo-user@example.jp"
        user_add(self.svc, [uid, "--name", "見本 太郎"], PASSWORD + "\n")
        token = self.login(uid)
        me = self.svc.request("GET", "/api/v1/me", token=token)[2]
        self.assertIsNone(me["type"])
        self.assertEqual(me["details"], {})
        status, _, me = self.patch(token, {
            "postal_code": "", "address": "大阪府大阪市北区梅田1丁目",
            "phone": "0663456789"})
        self.assertEqual(status, 200, me)
        self.assertEqual(me["details"], {
            "address": "大阪府大阪市北区梅田1丁目", "phone": "0663456789"})
        self.assertEqual(me["name"], "見本 太郎")   # the name stays
        self.svc.wait_mail(uid)
        self.assertError(self.patch(token, {"address": ""}), 422,
                         "required", "address")
        self.assertError(self.patch(token, {"postal_code": "53000"}), 422,
                         "too_short", "postal_code")
        self.assertError(self.patch(token, {"family_name": "見本"}), 400,
                         "unknown_field", "family_name")

    def test_email_change_changes_the_user_id(self):
        old, new = "old-addr@example.jp", "new-addr@example.jp"
        token = self.register(old, INDIVIDUAL)
        self.assertError(self.svc.request("POST", "/api/v1/me/email", {
            "new_email": new, "new_email_confirm": "other@example.jp"},
            token=token), 422, "mismatch", "new_email_confirm")
        status, _, body = self.svc.request("POST", "/api/v1/me/email", {
            "new_email": new, "new_email_confirm": new}, token=token)
        self.assertEqual(status, 202, body)
        self.assertEqual(body, {"code_kind": "digits", "code_length": 6,
                                "code_ttl": 1800})
        code = code_from(Service.body(self.svc.wait_mail(new)[0]))
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        err = self.assertError(self.svc.request(
            "POST", "/api/v1/me/email/verify", {"code": wrong},
            token=token), 422, "wrong_code", "code")
        self.assertEqual(err["params"], {"remaining": 4})
        status, _, me = self.svc.request(
            "POST", "/api/v1/me/email/verify", {"code": code}, token=token)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["email"], new)
        self.assertEqual(me["user_id"], new)    # lgpos: the address is the ID
        changed = self.svc.wait_mail(new, 2)[1]
        self.assertIn(new, Service.body(changed))
        notice = self.svc.wait_mail(old, 3)[2]
        self.assertIn(new, Service.body(notice))
        # The code is spent; the new ID logs in, the old one is gone.
        self.assertError(self.svc.request(
            "POST", "/api/v1/me/email/verify", {"code": code},
            token=token), 410, "code_expired", "code")
        self.login(new)
        self.assertError(self.svc.request("POST", "/api/v1/session", {
            "user_id": old, "password": PASSWORD}), 401,
            "invalid_credentials")

    def test_password_change_keeps_this_session_only(self):
        email = "m4@example.jp"
        token = self.register(email, INDIVIDUAL)
        other = self.login(email)
        self.assertError(self.svc.request("POST", "/api/v1/me/password", {
            "current_password": "Wrong-pass1", "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD}, token=token), 401,
            "invalid_credentials")
        self.assertError(self.svc.request("POST", "/api/v1/me/password", {
            "current_password": PASSWORD, "new_password": PASSWORD,
            "new_password_confirm": PASSWORD}, token=token), 422,
            "same_password", "new_password")
        status, _, body = self.svc.request("POST", "/api/v1/me/password", {
            "current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD}, token=token)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.svc.request("GET", "/api/v1/me",
                                          token=token)[0], 200)
        self.assertError(self.svc.request("GET", "/api/v1/me", token=other),
                         401, "unauthorized")
        self.login(email, NEW_PASSWORD)
        mail = self.svc.wait_mail(email, 3)[2]
        self.assertIn(email, Service.body(mail))

    def test_session_look_does_not_extend(self):
        r = self.svc.add_user("idle@example.jp", "放置 太郎", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        token = self.login("idle@example.jp")
        status, _, first = self.svc.request("GET", "/api/v1/session",
                                            token=token)
        self.assertEqual(status, 200, first)
        self.assertEqual(first["idle_timeout"], 600)
        self.assertEqual(first["idle_warning"], 60)
        self.svc.advance(590)
        status, _, later = self.svc.request("GET", "/api/v1/session",
                                            token=token)
        self.assertEqual(status, 200)
        self.assertEqual(later["expires_at"], first["expires_at"])
        self.svc.advance(20)     # past the first deadline
        self.assertError(self.svc.request("GET", "/api/v1/session",
                                          token=token), 401,
                         "session_expired")
        self.assertError(self.svc.request("GET", "/api/v1/me", token=token),
                         401, "unauthorized")

    def test_extend(self):
        r = self.svc.add_user("busy@example.jp", "延長 花子", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        token = self.login("busy@example.jp")
        first = self.svc.request("GET", "/api/v1/session", token=token)[2]
        self.svc.advance(590)
        status, _, body = self.svc.request("POST", "/api/v1/session/extend",
                                           token=token)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["idle_timeout"], 600)
        self.assertGreaterEqual(body["expires_at"],
                                first["expires_at"] + 590)
        self.svc.advance(20)     # past the first deadline, not the new one
        self.assertEqual(self.svc.request("GET", "/api/v1/me",
                                          token=token)[0], 200)

    def test_not_for_lgpos(self):
        token = self.register("nobulk@example.jp", INDIVIDUAL)
        self.assertError(self.svc.request(
            "POST", "/api/v1/me/bulk-password", token=token), 404,
            "not_available")


class ImmigrationMyPageTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_patch_by_category(self):
        staff = user_add(self.svc, [
            "--name-latin", "TANAKA HANAKO", "--category",
            "organisation_staff", "--email", "staff@example.jp"],
            IM_PASSWORD + "\n")[0]
        token = self.login(staff, IM_PASSWORD)
        status, _, me = self.patch(token, {"phone": "0312345678"})
        self.assertEqual(status, 200, me)
        self.assertEqual(me["details"]["phone"], "0312345678")
        self.assertEqual(me["name_latin"], "TANAKA HANAKO")
        self.svc.wait_mail("staff@example.jp")
        # 003 §6.3: staff cannot give an address; nobody renames.
        self.assertError(self.patch(token, {"postal_code": "1000001"}), 400,
                         "unknown_field", "postal_code")
        self.assertError(self.patch(token, {"name_latin": "X"}), 400,
                         "unknown_field", "name_latin")
        person = user_add(self.svc, [
            "--name-latin", "LI WEI", "--category", "foreign_national",
            "--email", "li@example.com"], IM_PASSWORD + "\n")[0]
        token = self.login(person, IM_PASSWORD)
        status, _, me = self.patch(token, {"postal_code": "1600023",
                                           "address": "東京都新宿区西新宿"})
        self.assertEqual(status, 200, me)
        self.assertEqual(me["details"]["postal_code"], "1600023")
        self.assertError(self.patch(token, {"postal_code": "160002"}), 422,
                         "too_short", "postal_code")

    def test_email_change_with_key(self):
        uid = user_add(self.svc, [
            "--name-latin", "KIM MINJUN", "--category", "attorney",
            "--email", "kim@example.com"], IM_PASSWORD + "\n")[0]
        token = self.login(uid, IM_PASSWORD)
        status, _, body = self.svc.request("POST", "/api/v1/me/email", {
            "new_email": "kim2@example.com",
            "new_email_confirm": "kim2@example.com"}, token=token)
        self.assertEqual(status, 202, body)
        self.assertEqual(body["code_kind"], "key")
        key = key_from(Service.body(self.svc.wait_mail("kim2@example.com")[0]))
        status, _, me = self.svc.request("POST", "/api/v1/me/email/verify",
                                         {"code": key}, token=token)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["email"], "kim2@example.com")
        self.assertEqual(me["user_id"], uid)     # issued IDs stay
        self.svc.wait_mail("kim@example.com")     # the notice to the old


class OssMyPageTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = oss"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def add(self, email):
        return user_add(self.svc, ["--name", "軽自動車 太郎", "--email",
                                   email], PASSWORD + "\nBulk-pass2025\n")

    def test_patch_management_and_notification_addresses(self):
        pay, bulk = self.add("kanri@example.jp")
        token = self.login(pay)
        me = self.svc.request("GET", "/api/v1/me", token=token)[2]
        self.assertEqual(me["bulk_user_id"], bulk)
        self.assertEqual(me["type"], "individual")
        self.assertIsNone(me["notify_email"])
        self.assertError(self.patch(token, {
            "email": "jimu@example.jp",
            "email_confirm": "typo@example.jp"}), 422, "mismatch",
            "email_confirm")
        self.assertError(self.patch(token, {
            "email": "jimu@example.jp"}), 400, "missing_field",
            "email_confirm")
        self.assertError(self.patch(token, {"kind": "company"}), 422,
                         "bad_format", "kind")
        self.assertError(self.patch(token, {"phone": "0312345678"}), 400,
                         "unknown_field", "phone")
        status, _, me = self.patch(token, {
            "kind": "corporation", "name": "軽自動車商会",
            "name_kana": "ケイジドウシャショウカイ",
            "representative": "軽 一郎",
            "email": "jimu@example.jp",
            "email_confirm": "jimu@example.jp",
            "notify_email": "tsuchi@example.jp",
            "notify_email_confirm": "tsuchi@example.jp"})
        self.assertEqual(status, 200, me)
        self.assertEqual(me["type"], "corporation")
        self.assertEqual(me["name"], "軽自動車商会")
        self.assertEqual(me["email"], "jimu@example.jp")
        self.assertEqual(me["notify_email"], "tsuchi@example.jp")
        self.assertEqual(me["details"], {
            "name_kana": "ケイジドウシャショウカイ",
            "representative": "軽 一郎"})
        self.assertEqual(me["user_id"], pay)     # the IDs stay
        # 002 §3 ④: the mail goes to the new management address.
        mail = self.svc.wait_mail("jimu@example.jp")[0]
        self.assertIn(pay, Service.body(mail))
        self.assertEqual(self.svc.mails("kanri@example.jp"), [])
        # The notification address may be emptied.
        status, _, me = self.patch(token, {"notify_email": "",
                                           "notify_email_confirm": ""})
        self.assertEqual(status, 200, me)
        self.assertIsNone(me["notify_email"])
        # oss addresses change here, not by code.
        self.assertError(self.svc.request("POST", "/api/v1/me/email", {
            "new_email": "a@example.jp", "new_email_confirm": "a@example.jp"},
            token=token), 404, "not_available")

    def test_bulk_password_reset(self):
        email = "bulk@example.jp"
        pay, bulk = self.add(email)
        token = self.login(pay)
        old_hash = self.db_value("SELECT bulk_password_hash FROM users "
                                 "WHERE bulk_user_id = ?", bulk)
        status, _, body = self.svc.request(
            "POST", "/api/v1/me/bulk-password", token=token)
        self.assertEqual(status, 202, body)
        self.assertEqual(body["bulk_user_id"], bulk)
        self.assertEqual(body["email"], email)
        self.assertEqual(body["key_ttl"], 86400)
        self.assertIsInstance(body["requested_at"], int)
        mail = self.svc.wait_mail(email)[0]
        self.assertIn(bulk, Service.body(mail))
        key = key_from(Service.body(mail))

        def reset(k, pw="Ikkatsu-2026"):
            return self.svc.request("POST", "/api/v1/bulk-password/reset", {
                "bulk_user_id": bulk, "key": k, "new_password": pw,
                "new_password_confirm": pw})

        err = self.assertError(reset("AAAA-AAAA-AAAA"), 422, "wrong_code",
                               "key")
        self.assertEqual(err["params"], {"remaining": 4})
        self.assertError(reset(key, "Bulk-pass2025"), 422, "same_password",
                         "new_password")
        self.assertEqual(reset(key)[0], 200)
        self.assertError(reset(key), 410, "code_expired", "key")
        done = self.svc.wait_mail(email, 2)[1]
        self.assertIn(bulk, Service.body(done))
        new_hash = self.db_value("SELECT bulk_password_hash FROM users "
                                 "WHERE bulk_user_id = ?", bulk)
        self.assertNotEqual(new_hash, old_hash)
        self.assertTrue(new_hash.startswith("$argon2id$"))
        # The bulk password now is the new one: a further reset to it is
        # refused as the same password (the documented way to tell).
        self.svc.request("POST", "/api/v1/me/bulk-password", token=token)
        key2 = key_from(Service.body(self.svc.wait_mail(email, 3)[2]))
        self.assertError(reset(key2), 422, "same_password", "new_password")
        # The payment password is untouched.
        self.login(pay)


if __name__ == "__main__":
    unittest.main()
