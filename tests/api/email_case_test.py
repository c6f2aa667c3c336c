"""E-mail addresses and user IDs compared without regard to case (issue 9,
"Case variants make second accounts"): after dup@example.jp registers,
dup@EXAMPLE.JP and DUP@example.jp are the same account for registration,
log-in, recovery (A1, A2), the e-mail change (M3) and the admin commands,
and the spelling the person typed is what is shown and mailed to.  A
database made before keys existed keeps both rows of a collision, says
so in the log and in `madoguchid user-collisions`, and lets the operator
settle it."""

import os
import re
import signal
import ssl
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import (  # noqa: E402
    ErrorAssertions, Service, code_from, key_from, user_add)

PASSWORD = "Madoguchi2025"
NEW_PASSWORD = "Shinjuku-2026"
IM_PASSWORD = "Kawasaki#2025x"
STORE_C = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "src", "service", "store.c")

INDIVIDUAL = {
    "type": "individual", "family_name": "山田", "given_name": "太郎",
    "family_name_kana": "ヤマダ", "given_name_kana": "タロウ",
    "postal_code": "5400008", "address": "大阪府大阪市中央区大手前2丁目",
    "phone": "0669410351", "birth_date": "1980-04-01", "gender": "male",
}


def admin(svc, *args, stdin=None):
    return subprocess.run([os.environ["MADOGUCHID"], "--config", svc.conf,
                           *args], input=stdin, capture_output=True,
                          text=True)


def mails_exactly(svc, to):
    """Mails whose To is exactly this spelling (Service.mails matches a
    substring, with case)."""
    return [m for m in svc.mails() if str(m["To"]) == to]


class Common(ErrorAssertions):
    def login(self, user_id, password=PASSWORD):
        return self.svc.request("POST", "/api/v1/session",
                                {"user_id": user_id, "password": password,
                                 "lang": "en"})

    def register(self, email):
        """A person registering email through R3-R7; the session token."""
        s = self.svc
        status, _, start = s.request("POST", "/api/v1/registrations", {
            "email": email, "email_confirm": email, "lang": "en"})
        self.assertEqual(status, 202, start)
        code = code_from(Service.body(s.wait_mail(email)[-1]))
        status, _, got = s.request("POST", "/api/v1/registrations/verify", {
            "registration": start["registration"], "code": code})
        self.assertEqual(status, 200, got)
        status, _, done = s.request("POST", "/api/v1/registrations/complete", {
            "registration": start["registration"], "password": PASSWORD,
            "password_confirm": PASSWORD, "lang": "en", **INDIVIDUAL})
        self.assertEqual(status, 201, done)
        return done


class LgposCaseTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service()

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_registration_is_unique_without_case(self):
        done = self.register("dup@example.jp")
        self.assertEqual(done["user_id"], "dup@example.jp")
        for variant in ("dup@EXAMPLE.JP", "DUP@example.jp"):
            with self.subTest(variant=variant):
                status, _, start = self.svc.request(
                    "POST", "/api/v1/registrations",
                    {"email": variant, "email_confirm": variant,
                     "lang": "en"})
                self.assertEqual(status, 202, start)
                # Told it has an account, as the address itself would be;
                # no code, so the handle never completes.
                mail = self.svc.wait_mail(variant)[-1]
                body = Service.body(mail)
                self.assertIn("already exists", body)
                self.assertIsNone(re.search(r"\b\d{6}\b", body))
                self.assertError(self.svc.request(
                    "POST", "/api/v1/registrations/verify",
                    {"registration": start["registration"],
                     "code": "123456"}), 422, "wrong_code", "code")
                # Every spelling logs in to the one account, shown as
                # it was registered.
                status, _, body = self.login(variant)
                self.assertEqual(status, 201, body)
                self.assertEqual(body["user"]["user_id"], "dup@example.jp")
        ((n,),) = self.svc.sql("SELECT COUNT(*) FROM users WHERE "
                               "lower(user_id) = 'dup@example.jp'")
        self.assertEqual(n, 1)

    def test_admin_commands_and_lockout_without_case(self):
        r = self.svc.add_user("Case@Example.jp", "Case Test", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.svc.add_user("case@example.JP", "Second", PASSWORD)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr)
        status, _, body = self.login("case@example.jp")
        self.assertEqual(status, 201, body)
        self.assertEqual(body["user"]["user_id"], "Case@Example.jp")
        # Failures in any spelling count against the one account.
        for i, spelling in enumerate(("case@example.jp", "CASE@EXAMPLE.JP",
                                      "Case@example.jp", "cASE@example.jp")):
            self.assertError(self.login(spelling, "Wrong-pass1"),
                             401, "invalid_credentials")
        self.assertError(self.login("CASE@example.jp", "Wrong-pass1"),
                         423, "account_locked")
        self.assertError(self.login("Case@Example.jp"), 423,
                         "account_locked")
        r = admin(self.svc, "user-unlock", "case@EXAMPLE.jp")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.login("Case@Example.jp")[0], 201)
        listed = admin(self.svc, "user-list").stdout
        self.assertIn("Case@Example.jp\tCase Test", listed)

    def test_password_reset_without_case(self):
        r = self.svc.add_user("Reset@Example.jp", "Reset Test", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        status, _, body = self.svc.request(
            "POST", "/api/v1/recovery/password",
            {"user_id": "RESET@example.jp", "email": "reset@EXAMPLE.jp",
             "lang": "en"})
        self.assertEqual(status, 202, body)
        # The key goes to the address as the user registered it.
        self.svc.wait_mail("Reset@Example.jp")
        got = mails_exactly(self.svc, "Reset@Example.jp")
        self.assertEqual(len(got), 1)
        key = key_from(Service.body(got[0]))
        status, _, body = self.svc.request(
            "POST", "/api/v1/recovery/password/reset",
            {"user_id": "reset@example.jp", "key": key,
             "new_password": NEW_PASSWORD,
             "new_password_confirm": NEW_PASSWORD})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.login("RESET@EXAMPLE.JP", NEW_PASSWORD)[0], 201)
        # A3 by another spelling too.
        status, _, body = self.svc.request("POST", "/api/v1/password", {
            "user_id": "reset@example.JP", "current_password": NEW_PASSWORD,
            "new_password": PASSWORD, "new_password_confirm": PASSWORD})
        self.assertEqual(status, 200, body)

    def test_email_change_without_case(self):
        for uid, name in (("owner@example.jp", "Owner"),
                          ("other@example.jp", "Other")):
            r = self.svc.add_user(uid, name, PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
        other = self.login("other@example.jp")[2]["token"]
        # Another user's address in another spelling is taken (M3).
        self.assertError(self.svc.request(
            "POST", "/api/v1/me/email",
            {"new_email": "OWNER@Example.JP",
             "new_email_confirm": "OWNER@Example.JP"}, token=other),
            409, "already_registered", "new_email")
        # One's own address in a new spelling is not.
        owner = self.login("owner@example.jp")[2]["token"]
        status, _, body = self.svc.request(
            "POST", "/api/v1/me/email",
            {"new_email": "Owner@Example.jp",
             "new_email_confirm": "Owner@Example.jp"}, token=owner)
        self.assertEqual(status, 202, body)
        mail = self.svc.wait_mail("Owner@Example.jp")[-1]
        status, _, me = self.svc.request(
            "POST", "/api/v1/me/email/verify",
            {"code": code_from(Service.body(mail))}, token=owner)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["user_id"], "Owner@Example.jp")
        self.assertEqual(me["email"], "Owner@Example.jp")
        status, _, body = self.login("owner@example.jp")
        self.assertEqual(status, 201, body)
        self.assertEqual(body["user"]["user_id"], "Owner@Example.jp")
        # Taking a third user's spelling of that address is refused too.
        status, _, body = self.svc.request(
            "POST", "/api/v1/me/email",
            {"new_email": "owner@EXAMPLE.jp",
             "new_email_confirm": "owner@EXAMPLE.jp"}, token=other)
        self.assertError((status, None, body), 409, "already_registered",
                         "new_email")


class ImmigrationCaseTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration"])
        cls.uid = user_add(cls.svc, [
            "--name-latin", "NGUYEN VAN AN", "--category",
            "foreign_national", "--email", "An.Nguyen@Example.jp"],
            IM_PASSWORD + "\n")[0]

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_user_id_reminder_without_case(self):
        status, _, body = self.svc.request(
            "POST", "/api/v1/recovery/user-id",
            {"email": "an.nguyen@example.JP", "name_latin": "NGUYEN VAN AN",
             "lang": "en"})
        self.assertEqual(status, 202, body)
        self.svc.wait_mail("An.Nguyen@Example.jp")
        got = mails_exactly(self.svc, "An.Nguyen@Example.jp")
        self.assertIn(self.uid, Service.body(got[-1]))

    def test_registration_of_known_address_in_another_case(self):
        status, _, _ = self.svc.request(
            "POST", "/api/v1/registrations",
            {"email": "AN.NGUYEN@EXAMPLE.JP",
             "email_confirm": "AN.NGUYEN@EXAMPLE.JP", "lang": "en"})
        self.assertEqual(status, 202)
        body = Service.body(self.svc.wait_mail("AN.NGUYEN@EXAMPLE.JP")[-1])
        self.assertIn("already exists", body)

    def test_issued_id_in_lower_case(self):
        status, _, body = self.login(self.uid.lower(), IM_PASSWORD)
        self.assertEqual(status, 201, body)
        self.assertEqual(body["user"]["user_id"], self.uid)
        r = admin(self.svc, "certificate-issue", self.uid.lower())
        self.assertEqual(r.returncode, 0, r.stderr)


def c_strings(block):
    """The C string literals of block, joined per top-level comma."""
    elements, current, i = [], [], 0
    while i < len(block):
        if block[i] == '"':
            j = i + 1
            while block[j] != '"':
                j += 2 if block[j] == "\\" else 1
            current.append(block[i + 1:j].replace('\\"', '"'))
            i = j + 1
        elif block[i] == ",":
            elements.append("".join(current))
            current = []
            i += 1
        elif block.startswith("/*", i):
            i = block.index("*/", i) + 2
        else:
            i += 1
    if current:
        elements.append("".join(current))
    return elements


def old_schema(engine):
    """The SQL of schema versions 1 and 2 of engine, as store.c's
    store_migrations (SQLite) or store_migrations_pg holds it, so that a
    database made before v4 can be built here; for PostgreSQL preceded
    by store_schema_pg, which makes the table that keeps the version."""
    with open(STORE_C, encoding="utf-8") as f:
        src = f.read()
    name, done = ("store_migrations[] = {", "PRAGMA user_version = 2;")
    out = []
    if engine == "postgresql":
        name, done = ("store_migrations_pg[] = {",
                      "UPDATE schema_version SET version = 2;")
        block = src[src.index("store_schema_pg[] ="):]
        out = c_strings(block[:block.index(";\n")])
    block = src[src.index(name):]
    block = block[block.index("{") + 1:block.index("\n};")]
    for sql in c_strings(block):
        out.append(sql)
        if done in sql:
            return out
    raise AssertionError("no schema version 2 in " + STORE_C)


class CollisionMigrationTest(Common, unittest.TestCase):
    """A version-2 database with dup@example.jp, DUP@example.jp and
    Dup@Example.JP, opened by this version."""

    @classmethod
    def setUpClass(cls):
        cls.svc = Service()
        # A real password hash to give the old rows.
        r = cls.svc.add_user("hash@example.jp", "Hash", PASSWORD)
        assert r.returncode == 0, r.stderr
        cls.hash = cls.svc.sql("SELECT password_hash FROM users")[0][0]
        assert cls.svc.stop() == 0
        cls.svc.wipe_database()
        cls.svc.sql_script("".join(old_schema(cls.svc.engine)))
        for uid, name in (("dup@example.jp", "First"),
                          ("DUP@example.jp", "Second"),
                          ("Dup@Example.JP", "Third"),
                          ("solo@example.jp", "Solo")):
            cls.svc.sql("INSERT INTO users (user_id, name, email, "
                        "password_hash, password_changed_at, created_at, "
                        "updated_at) VALUES (?, ?, ?, ?, 0, 0, 0)",
                        uid, name, uid, cls.hash)
        cls.restart()

    @classmethod
    def restart(cls):
        svc = cls.svc
        port_file = os.path.join(svc.dir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        svc.log = open(os.path.join(svc.dir, "service.log"), "a")
        svc.proc = subprocess.Popen(
            [os.environ["MADOGUCHID"], "--config", svc.conf],
            stdout=svc.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if svc.proc.poll() is not None:
                raise RuntimeError("madoguchid did not start: " +
                                   svc.read_log()[-3000:])
            if time.monotonic() > deadline:
                raise RuntimeError("madoguchid did not start")
            time.sleep(0.05)
        with open(port_file) as f:
            svc.port = int(f.read().strip())
        svc.ctx = ssl.create_default_context(
            cafile=os.path.join(svc.dir, "ca.pem"))

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop(signal.SIGTERM) == 0
        cls.svc.cleanup()

    def test_1_started_with_every_row_and_said_so(self):
        rows = self.svc.sql("SELECT user_id, user_key FROM users "
                            "ORDER BY id")
        self.assertGreaterEqual(self.svc.schema_version(), 4)
        self.assertEqual(rows, [("dup@example.jp", "dup@example.jp"),
                                ("DUP@example.jp", None),
                                ("Dup@Example.JP", None),
                                ("solo@example.jp", "solo@example.jp")])
        log = self.svc.read_log()
        for uid in ("DUP@example.jp", "Dup@Example.JP"):
            self.assertRegex(log, r"warning: user IDs \"%s\" and "
                             r"\"dup@example\.jp\" differ only in case"
                             % re.escape(uid))
        self.assertNotIn('"solo@example.jp"', log)
        listed = admin(self.svc, "user-collisions")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual(listed.stdout,
                         "DUP@example.jp\tdup@example.jp\n"
                         "Dup@Example.JP\tdup@example.jp\n")

    def test_2_each_row_still_logs_in(self):
        # The oldest holds the key: any spelling but the others' exact
        # ones reaches it; the others are reached by their exact spelling.
        for typed, shown in (("dup@example.jp", "dup@example.jp"),
                             ("dUp@EXAMPLE.jp", "dup@example.jp"),
                             ("DUP@example.jp", "DUP@example.jp"),
                             ("Dup@Example.JP", "Dup@Example.JP"),
                             ("SOLO@example.jp", "solo@example.jp")):
            with self.subTest(typed=typed):
                status, _, body = self.login(typed)
                self.assertEqual(status, 201, body)
                self.assertEqual(body["user"]["user_id"], shown)
        # A new registration of any spelling is refused as known.
        status, _, _ = self.svc.request(
            "POST", "/api/v1/registrations",
            {"email": "dUP@example.jp", "email_confirm": "dUP@example.jp",
             "lang": "en"})
        self.assertEqual(status, 202)
        body = Service.body(self.svc.wait_mail("dUP@example.jp")[-1])
        self.assertIn("already exists", body)

    def test_3_operator_settles_a_collision(self):
        # The operator deletes the unwanted holder of the key; the next
        # oldest row takes it, and the list shrinks accordingly.
        r = admin(self.svc, "user-delete", "dup@example.jp")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = admin(self.svc, "user-delete", "duP@example.jp")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no user spelt exactly", r.stderr)
        listed = admin(self.svc, "user-collisions").stdout
        self.assertEqual(listed, "Dup@Example.JP\tDUP@example.jp\n")
        status, _, body = self.login("dup@example.jp")
        self.assertEqual(status, 201, body)
        self.assertEqual(body["user"]["user_id"], "DUP@example.jp")
        r = admin(self.svc, "user-delete", "Dup@Example.JP")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(admin(self.svc, "user-collisions").stdout, "")
        ((n,),) = self.svc.sql("SELECT COUNT(*) FROM users "
                               "WHERE user_key IS NULL")
        self.assertEqual(n, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
