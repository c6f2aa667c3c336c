"""Names and free text without hidden characters (issue 9, "Names accept
invisible and control characters"): every person's-name and free-text
field of every profile (the tables of src/service/profile_fields.c, read
here so that a new field cannot be left out) refuses names made only of
spaces (`required`), C0 and C1 controls, zero-width and bidirectional
format characters, tags and noncharacters (`bad_characters`), and
katakana made only of ・ or ー, at registration and on My page; so do
the admin commands that take a name.  What the admin commands print from
the database comes out with visible escapes, even for rows stored before
these rules, inserted here directly into the database."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import (  # noqa: E402
    ErrorAssertions, Service, code_from, key_from, user_add)

PASSWORD = "Madoguchi2025"
IM_PASSWORD = "Kawasaki#2025x"
PROFILE_FIELDS_C = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "src", "service",
                                "profile_fields.c")

# Bad values per rule and the code each must get.
NAME_CASES = [
    ("   ", "required"),
    ("\u3000\u3000", "required"),
    (" \u3000\u00a0", "required"),
    ("\u200b", "bad_characters"),
    ("山田\u200b太郎", "bad_characters"),
    ("山田\u200d", "bad_characters"),
    ("\ufeff山田", "bad_characters"),
    ("山田\u0085太郎", "bad_characters"),
    ("\u009b31m山田", "bad_characters"),
    ("山田\x1b[2J", "bad_characters"),
    ("山田\u202eodaraY", "bad_characters"),
    ("\u2066山田\u2069", "bad_characters"),
    ("山田\U000e0041\U000e007f", "bad_characters"),
    ("山田\uffff", "bad_characters"),
    ("山田\ufdd0", "bad_characters"),
]
KATAKANA_CASES = [
    ("・", "bad_characters"),
    ("ー", "bad_characters"),
    ("・ー　ー", "bad_characters"),
    ("\u3000", "required"),
    ("ヤマダ\u200b", "bad_characters"),
    ("ヤマダ\u202e", "bad_characters"),
    ("ヤマダ\u0085", "bad_characters"),
]
LATIN_CASES = [
    (" ", "bad_format"),
    ("\u3000", "bad_characters"),
    ("NGUYEN\u200bAN", "bad_characters"),
    ("NGUYEN\u202eAN", "bad_characters"),
    ("NGUYEN\u0085AN", "bad_characters"),
]
CASES = {"NAME": NAME_CASES, "KATAKANA": KATAKANA_CASES,
         "LATIN": LATIN_CASES}

INDIVIDUAL = {
    "type": "individual", "family_name": "山田", "given_name": "太郎",
    "family_name_kana": "ヤマダ", "given_name_kana": "タロウ",
    "postal_code": "5400008", "address": "大阪府大阪市中央区大手前2丁目",
    "phone": "0669410351", "birth_date": "1980-04-01", "gender": "male",
}
BUSINESS = {
    "type": "business", "corporation_name": "川崎商事株式会社",
    "corporation_name_kana": "カワサキショウジ",
    "address": "神奈川県川崎市川崎区宮本町1番地",
    "representative": "川崎 一郎", "phone": "0442002111",
    "department": "総務部", "contact_name": "中原 花子",
    "contact_birth_date": "1990-12-31",
}
IMMIGRATION = {"name_latin": "NGUYEN VAN AN", "phone": "0312345678"}


def text_fields():
    """{table: [(member, rule, register, patch)]} for every field of
    profile_fields.c checked by the name, katakana or Latin rule."""
    with open(PROFILE_FIELDS_C, encoding="utf-8") as f:
        src = f.read()
    tables = {}
    for m in re.finditer(r"profile_field (fields_\w+)\[\] = \{(.*?)\n\};",
                         src, re.S):
        rows = []
        for e in re.finditer(r'\{\s*"(\w+)",\s*FIELD_(\w+),[^}]*?'
                             r'(FIELD_REGISTER[^}]*|FIELD_PATCH[^}]*)\}',
                             m.group(2), re.S):
            member, rule, where = e.groups()
            if rule in CASES:
                rows.append((member, rule, "FIELD_REGISTER" in where,
                             "FIELD_PATCH" in where))
        tables[m.group(1)] = rows
    return tables


def admin(svc, *args, stdin=None):
    return subprocess.run([os.environ["MADOGUCHID"], "--config", svc.conf,
                           *args], input=stdin, capture_output=True,
                          text=True)


class Fields(ErrorAssertions):
    """Runs every bad value of every text field of the given tables."""

    def login(self, user_id, password=PASSWORD):
        status, _, body = self.svc.request(
            "POST", "/api/v1/session",
            {"user_id": user_id, "password": password})
        self.assertEqual(status, 201, body)
        return body["token"]

    def verified(self, email, kind):
        s = self.svc
        _, _, start = s.request("POST", "/api/v1/registrations", {
            "email": email, "email_confirm": email, "lang": "en"})
        body = Service.body(s.wait_mail(email)[-1])
        code = code_from(body) if kind == "digits" else key_from(body)
        status, _, got = s.request("POST", "/api/v1/registrations/verify", {
            "registration": start["registration"], "code": code})
        self.assertEqual(status, 200, got)
        return start["registration"]

    def complete(self, handle, details):
        return self.svc.request("POST", "/api/v1/registrations/complete", {
            "registration": handle, "password": PASSWORD,
            "password_confirm": PASSWORD, "lang": "en", **details})

    def check_table(self, table, handle=None, base=None, token=None):
        rows = text_fields()[table]
        self.assertTrue(rows, table)
        for member, rule, register, patch in rows:
            for value, code in CASES[rule]:
                if register and handle is not None:
                    with self.subTest(table=table, member=member,
                                      value=value, where="registration"):
                        self.assertError(
                            self.complete(handle, {**base, member: value}),
                            422, code, member)
                if patch and token is not None:
                    with self.subTest(table=table, member=member,
                                      value=value, where="PATCH"):
                        self.assertError(self.svc.request(
                            "PATCH", "/api/v1/me", {member: value},
                            token=token), 422, code, member)
        self.covered.add(table)


class LgposNamesTest(Fields, unittest.TestCase):
    covered = set()

    @classmethod
    def setUpClass(cls):
        cls.svc = Service()

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_individual_and_business(self):
        handle = self.verified("names@example.jp", "digits")
        done = {}
        for kind, base in (("individual", INDIVIDUAL),
                           ("business", BUSINESS)):
            h = self.verified(f"{kind}@example.jp", "digits")
            status, _, body = self.complete(h, base)
            self.assertEqual(status, 201, body)
            done[kind] = body["token"]
        self.check_table("fields_lgpos_individual", handle, INDIVIDUAL,
                         done["individual"])
        self.check_table("fields_lgpos_business", handle, BUSINESS,
                         done["business"])
        # None of that spent the handle; real names still pass,
        # variation sequences and all.
        status, _, body = self.complete(handle, {
            **INDIVIDUAL, "family_name": "葛\U000e0100飾",
            "given_name": "Nguyễn Văn", "family_name_kana": "カツシカ",
            "given_name_kana": "グエン・ヴァン"})
        self.assertEqual(status, 201, body)

    def test_account_made_by_user_add(self):
        """An account made by user-add changes its contact details on My
        page (fields_lgpos_account): the same rules."""
        r = self.svc.add_user("made-by-admin@example.jp", "Admin Made",
                              PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_table("fields_lgpos_account",
                         token=self.login("made-by-admin@example.jp"))

    def test_admin_name(self):
        for value, _ in NAME_CASES:
            with self.subTest(value=value):
                r = self.svc.add_user("admin-name@example.jp", value,
                                      PASSWORD)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertRegex(r.stderr, "name: (empty|has characters)")
        r = admin(self.svc, "notice-add", "--title", "お知らせ\u202e",
                  stdin="本文\n")
        self.assertEqual(r.returncode, 1, r.stderr)


class ImmigrationNamesTest(Fields, unittest.TestCase):
    covered = set()

    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_registration_and_my_page(self):
        handle = self.verified("im-names@example.jp", "key")
        person = user_add(self.svc, [
            "--name-latin", "LI WEI", "--category", "foreign_national",
            "--email", "li@example.com"], IM_PASSWORD + "\n")[0]
        token = self.login(person, IM_PASSWORD)
        self.check_table("fields_immigration_staff", handle,
                         {**IMMIGRATION, "type": "organisation_staff"})
        self.check_table("fields_immigration_person", handle,
                         {**IMMIGRATION, "type": "foreign_national"},
                         token)
        # A1 takes a Latin name too.
        for value, code in LATIN_CASES:
            with self.subTest(value=value):
                self.assertError(self.svc.request(
                    "POST", "/api/v1/recovery/user-id",
                    {"email": "li@example.com", "name_latin": value}),
                    422, code, "name_latin")
        r = subprocess.run([os.environ["MADOGUCHID"], "--config",
                            self.svc.conf, "user-add", "--name-latin",
                            "LI WEI", "--category", "foreign_national",
                            "--email", "li2@example.com", "--name",
                            "李\u200b伟"], input=IM_PASSWORD + "\n",
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r.stderr)


class OssNamesTest(Fields, unittest.TestCase):
    covered = set()

    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = oss"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_my_page(self):
        pay, _ = user_add(self.svc, ["--name", "軽自動車 太郎", "--email",
                                     "kei@example.jp"],
                          PASSWORD + "\nBulk-pass2025\n")
        self.check_table("fields_oss", token=self.login(pay))


class EveryTableTest(unittest.TestCase):
    def test_every_text_field_is_exercised(self):
        """The classes above name every table of profile_fields.c that
        has a name, katakana or Latin field."""
        tables = {t for t, rows in text_fields().items() if rows}
        self.assertEqual(tables, {
            "fields_lgpos_individual", "fields_lgpos_business",
            "fields_lgpos_account", "fields_immigration_staff", "fields_immigration_person",
            "fields_oss"})
        members = {m for rows in text_fields().values() for m, *_ in rows}
        self.assertLessEqual({"family_name", "given_name", "address",
                              "family_name_kana", "corporation_name",
                              "representative", "department",
                              "contact_name", "name", "name_kana",
                              "name_latin"}, members)


class AdminEscapeTest(unittest.TestCase):
    """Rows stored with escape sequences and other hidden characters
    (before these rules, or by hand) are printed with visible escapes."""

    HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u200b-\u200f"
                        "\u202a-\u202e\u2066-\u2069\ufeff\U000e0000-"
                        "\U000e007f]")

    @classmethod
    def setUpClass(cls):
        cls.svc = Service()
        cls.svc.sql(
            "INSERT INTO users (user_id, name, email, password_hash, "
            "password_changed_at, created_at, updated_at) "
            "VALUES (?, ?, ?, 'x', 0, 0, 0)",
            "esc\x1b]0;owned\x07@example.jp",
            "\x1b[2J\x1b[31m名前\u202eevil\u0085\u009b6n\tx\\y",
            "esc@example.jp")
        # Text that is not UTF-8: SQLite stores what it is given;
        # PostgreSQL refuses it, so there it cannot happen.
        cls.bytes_row = cls.svc.engine == "sqlite"
        if cls.bytes_row:
            cls.svc.sql(
                "INSERT INTO users (user_id, name, email, password_hash, "
                "password_changed_at, created_at, updated_at) "
                "VALUES ('bytes@example.jp', CAST(? AS TEXT), "
                "'bytes@example.jp', 'x', 0, 0, 0)", b"ok\xff\xfe\xc2")
        cls.svc.sql(
            "INSERT INTO mail_outbox (kind, recipient, lang, params, "
            "created_at, next_attempt_at, last_error) VALUES "
            "('reset_key\x1b[8m', 'to\u202e@example.jp', 'ja', '{}', 0, "
            "9223372036854775807, 'failed\x1b[2J\u009b\U000e0041')")

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def run_admin(self, *args):
        r = subprocess.run([os.environ["MADOGUCHID"], "--config",
                            self.svc.conf, *args], capture_output=True)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_user_list(self):
        rc, out, err = self.run_admin("user-list")
        self.assertEqual(rc, 0, err)
        self.assertIsNone(self.HIDDEN.search(out), repr(out))
        lines = out.splitlines()
        self.assertEqual(len(lines), 2 if self.bytes_row else 1, out)
        if self.bytes_row:
            self.assertIn("ok\\xff\\xfe\\xc2\t", out)
        self.assertIn("esc\\x1b]0;owned\\x07@example.jp\t"
                      "\\x1b[2J\\x1b[31m名前\\u202eevil\\u0085\\u009b6n"
                      "\\tx\\\\y\t", out)
        for line in lines:
            self.assertEqual(len(line.split("\t")), 4, line)

    def test_mail_list(self):
        rc, out, err = self.run_admin("mail-list")
        self.assertEqual(rc, 0, err)
        self.assertIsNone(self.HIDDEN.search(out), repr(out))
        self.assertIn("reset_key\\x1b[8m\tto\\u202e@example.jp\t", out)
        self.assertIn("failed\\x1b[2J\\u009b\\U000e0041", out)

    def test_arguments_echoed(self):
        rc, out, err = self.run_admin("user-unlock", "no\x1b[2Jbody\u202e")
        self.assertEqual(rc, 1)
        self.assertIn("no user no\\x1b[2Jbody\\u202e", err)
        self.assertIsNone(self.HIDDEN.search(err), repr(err))


if __name__ == "__main__":
    unittest.main(verbosity=2)
