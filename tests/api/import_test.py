"""madoguchid user-import (issue 11; docs/api.md "Admin commands"): users
from a CSV file in every column form RFC 4180 allows, each row held to
user-add's rules (a refused row is reported with its line, field and
rule, and skipped), nothing imported twice by a second run, imported
argon2id hashes that log in with their passwords, rows without a hash
that get exactly one account_key mail whose key sets the password through
A2's reset, the IDs issued in oss and immigration in the output file, an
account without a password that costs a log-in a hash like any other,
and an import of 20,000 users at least 50 times faster per user than
user-add, measured in the same run."""

import csv
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import ErrorAssertions, Service, key_from  # noqa: E402

PASSWORD = "Madoguchi2025"
NEW_PASSWORD = "Shinjuku-2026"
IM_PASSWORD = "Kawasaki#2025x"


def run_import(svc, text, *args, stdin=True):
    """user-import of text (through standard input, or a file); the
    finished process."""
    if stdin:
        return subprocess.run(
            [os.environ["MADOGUCHID"], "--config", svc.conf, "user-import",
             "-", *args], input=text.encode(), capture_output=True)
    path = os.path.join(svc.dir, "import.csv")
    with open(path, "wb") as f:
        f.write(text.encode())
    return subprocess.run(
        [os.environ["MADOGUCHID"], "--config", svc.conf, "user-import",
         path, *args], capture_output=True)


def admin(svc, *args, stdin=""):
    return subprocess.run([os.environ["MADOGUCHID"], "--config", svc.conf,
                           *args], input=stdin, capture_output=True,
                          text=True)


def service_hash(svc, user_id, password):
    """An argon2id hash as the service itself makes it: user-add in this
    service, read back, and the user deleted again."""
    r = svc.add_user(user_id, "Hash Source", password)
    assert r.returncode == 0, r.stderr
    ((h,),) = svc.sql("SELECT password_hash FROM users WHERE user_id = ?",
                      user_id)
    assert admin(svc, "user-delete", user_id).returncode == 0
    return h


def results(r):
    """The --json document of a run."""
    return json.loads(r.stdout.decode())


class Common(ErrorAssertions):
    def login(self, user_id, password):
        return self.svc.request("POST", "/api/v1/session",
                                {"user_id": user_id, "password": password})

    def reset(self, user_id, key, password=NEW_PASSWORD):
        return self.svc.request("POST", "/api/v1/recovery/password/reset", {
            "user_id": user_id, "key": key, "new_password": password,
            "new_password_confirm": password})

    def outbox(self, recipient):
        return [r[0] for r in self.svc.sql(
            "SELECT kind FROM mail_outbox WHERE recipient = ? ORDER BY id",
            recipient)]


class LgposImportTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["lockout_failures = 100"])
        cls.hash = service_hash(cls.svc, "hash-source@example.jp", PASSWORD)

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_every_column_form(self):
        """Quotes, "" inside them, commas and line breaks in quoted
        fields, CRLF, a byte-order mark, an empty line, UTF-8 names, the
        columns in any order, and a hash (which holds commas) quoted."""
        text = ("\ufeffname,password_hash,user_id,lang,email\r\n"
                '"山田, 太郎",,form1@example.jp,ja,\r\n'
                '"NGUYỄN ""Văn"" An",,form2@example.jp,vi,'
                'an.nguyen@example.com\r\n'
                "\r\n"
                '"Line\nbreak",,form3@example.jp,en,\r\n'
                f'김민준,"{self.hash}",form4@example.jp,ko,\r\n'
                'Ana María Núñez,,"form5@example.jp",es,\r\n')
        r = run_import(self.svc, text, "--json", stdin=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = results(r)
        by_line = {row["line"]: row for row in doc["results"]}
        # The quoted line break keeps its record whole: the row from line
        # 5 is one record (its name refused for the break), and the next
        # starts on line 7.
        self.assertEqual(sorted(by_line), [2, 3, 5, 7, 8])
        self.assertEqual(by_line[5]["status"], "invalid")
        self.assertEqual((by_line[5]["field"], by_line[5]["rule"]),
                         ("name", "bad_characters"))
        for line in (2, 3, 7, 8):
            self.assertEqual(by_line[line]["status"], "imported",
                             by_line[line])
        self.assertEqual((doc["read"], doc["imported"], doc["invalid"],
                          doc["keys_mailed"]), (5, 4, 1, 3))
        rows = dict((uid, (name, email, lang)) for uid, name, email, lang
                    in self.svc.sql("SELECT user_id, name, email, lang "
                                    "FROM users WHERE user_id LIKE "
                                    "'form%'"))
        self.assertEqual(rows, {
            "form1@example.jp": ("山田, 太郎", "form1@example.jp", "ja"),
            "form2@example.jp": ('NGUYỄN "Văn" An',
                                 "an.nguyen@example.com", "vi"),
            "form4@example.jp": ("김민준", "form4@example.jp", "ko"),
            "form5@example.jp": ("Ana María Núñez", "form5@example.jp",
                                 "es"),
        })
        self.assertEqual(self.login("form4@example.jp", PASSWORD)[0], 201)
        # The mail goes to the address given, in the row's language.
        mail = self.svc.wait_mail("an.nguyen@example.com")[0]
        self.assertIn("Tài khoản", mail["Subject"])
        self.assertIn("form2@example.jp", Service.body(mail))

    def test_bad_rows_are_reported_and_skipped(self):
        text = ("user_id,name,email,lang,password_hash\n"
                "bad1@example.jp,Good One,,,\n"
                "bad2@example.jp,,,,\n"
                "bad3@example.jp,Zero\u200bWidth,,,\n"
                "not-an-address,Bad Address,,,\n"
                "bad5@example.jp,Bad Lang,,xx,\n"
                'bad6@example.jp,Bad Hash,,,"$argon2i$v=19$m=1,t=1,p=1$x$y"\n'
                "bad7@example.jp,Too,Many,Fields,Here,Now\n"
                "bad8@example.jp," + "長" * 105 + ",,,\n"
                "bad9@example.jp,Good Two,,,\n"
                'bad10@example.jp,"Unclosed,,,\n')
        r = run_import(self.svc, text)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = r.stderr.decode()
        expect = {
            3: "name: empty, and the lgpos profile needs it (required)",
            4: "name: has characters that are not allowed "
               "(bad_characters)",
            5: "email: not a valid address (001 FAQ rules) (bad_email)",
            6: "lang: must be one of ja, en, zh_CN, zh_TW, ko, es, vi, tl "
               "(bad_format)",
            7: "(bad_format)",
            8: "6 fields, but the header has 5 (bad_format)",
            9: "name: longer than 104 characters (too_long)",
            11: "a quoted field is not closed (bad_format)",
        }
        for line, words in expect.items():
            self.assertRegex(err, rf"madoguchid: line {line}: [^\n]*"
                             rf"{re.escape(words)}; skipped", err)
        self.assertRegex(err, r"line 7: password_hash: not an argon2id "
                         r"hash")
        self.assertEqual(len(re.findall(r"; skipped", err)), 8, err)
        self.assertIn("10 rows read: 2 imported (2 with a mailed key), "
                      "0 already there, 8 refused", r.stdout.decode())
        stored = [u for (u,) in self.svc.sql(
            "SELECT user_id FROM users WHERE user_id LIKE 'bad%' "
            "ORDER BY user_id")]
        self.assertEqual(stored, ["bad1@example.jp", "bad9@example.jp"])

    def test_stop_at_first_error(self):
        text = ("user_id,name\n"
                "stop1@example.jp,Before\n"
                "stop2@example.jp,\n"
                "stop3@example.jp,After\n")
        r = run_import(self.svc, text, "--stop-at-first-error", "--json")
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = results(r)
        self.assertFalse(doc["complete"])
        self.assertIn("line 3", doc["stopped"])
        self.assertEqual([(x["line"], x["status"]) for x in doc["results"]],
                         [(2, "imported"), (3, "invalid")])
        stored = [u for (u,) in self.svc.sql(
            "SELECT user_id FROM users WHERE user_id LIKE 'stop%'")]
        self.assertEqual(stored, ["stop1@example.jp"])

    def test_rerun_imports_nothing_twice(self):
        text = ("user_id,name,password_hash\n"
                "again1@example.jp,Again One,\n"
                f'again2@example.jp,Again Two,"{self.hash}"\n'
                "again3@example.jp,Again Three,\n")
        r = run_import(self.svc, text)
        self.assertEqual(r.returncode, 0, r.stderr)

        def snapshot():
            return (self.svc.sql("SELECT * FROM users WHERE user_id LIKE "
                                 "'again%' ORDER BY id"),
                    self.svc.sql("SELECT c.id, c.code_hash FROM codes c "
                                 "JOIN users u ON u.id = c.user_ref WHERE "
                                 "u.user_id LIKE 'again%' ORDER BY c.id"),
                    self.svc.sql("SELECT COUNT(*) FROM mail_outbox WHERE "
                                 "recipient LIKE 'again%'"))
        before = snapshot()
        self.assertEqual(len(before[0]), 3)
        self.assertEqual(len(before[1]), 2)
        self.svc.advance(60)
        # The same file again, and once more with the IDs in another
        # case and a changed name: all there already, nothing changed.
        r = run_import(self.svc, text, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = results(r)
        self.assertEqual((doc["imported"], doc["existing"]), (0, 3))
        r = run_import(self.svc, text.replace("again", "AGAIN")
                       .replace("Again One", "Someone Else"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr.decode(), r"line 2: user "
                         r"again1@example\.jp already; skipped")
        self.assertEqual(snapshot(), before)

    def test_imported_hash_logs_in(self):
        text = ("user_id,name,password_hash\n"
                f'hashed@example.jp,Hashed User,"{self.hash}"\n')
        r = run_import(self.svc, text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertError(self.login("hashed@example.jp", "Wrong-pass1"),
                         401, "invalid_credentials")
        status, _, body = self.login("Hashed@Example.jp", PASSWORD)
        self.assertEqual(status, 201, body)
        self.assertEqual(body["user"]["name"], "Hashed User")
        # A user with a hash gets no key and no mail.
        self.assertEqual(self.outbox("hashed@example.jp"), [])

    def test_keyless_rows_get_one_mail_whose_key_sets_the_password(self):
        ids = [f"key{i}@example.jp" for i in range(3)]
        text = "user_id,name,lang\n" + "".join(
            f"{u},Key User {i},{'ja' if i else 'en'}\n"
            for i, u in enumerate(ids))
        r = run_import(self.svc, text)
        self.assertEqual(r.returncode, 0, r.stderr)
        keys = {}
        for u in ids:
            mail = self.svc.wait_mail(u)[0]
            keys[u] = key_from(Service.body(mail))
            self.assertIn(u, Service.body(mail))
        self.assertIn("set your password",
                      self.svc.wait_mail(ids[0])[0]["Subject"])
        # No password works until the person sets one.
        for password in (PASSWORD, "!"):
            self.assertError(self.login(ids[1], password), 401,
                             "invalid_credentials")
        # Exactly one mail each, also after a rerun.
        self.assertEqual(run_import(self.svc, text).returncode, 0)
        time.sleep(1)
        for u in ids:
            self.assertEqual(self.outbox(u), ["account_key"])
            self.assertEqual(len(self.svc.mails(u)), 1)
        # The key sets the password through A2's reset (as typed from the
        # mail, in any case), once.
        status, _, body = self.reset(ids[1], keys[ids[1]].lower())
        self.assertEqual(status, 200, body)
        self.assertEqual(self.login(ids[1], NEW_PASSWORD)[0], 201)
        self.assertError(self.reset(ids[1], keys[ids[1]], "Another-2027"),
                         410, "code_expired", "key")
        # Another person's key does not fit.
        self.assertError(self.reset(ids[2], keys[ids[0]]), 422,
                         "wrong_code", "key")

    def test_key_ttl(self):
        text = "user_id,name,lang\nlong-key@example.jp,Long Key,en\n"
        r = run_import(self.svc, text, "--key-ttl", "72")
        self.assertEqual(r.returncode, 0, r.stderr)
        mail = self.svc.wait_mail("long-key@example.jp")[0]
        self.assertIn("72 hours", Service.body(mail))
        self.svc.advance(2 * 86400)
        status, _, body = self.reset("long-key@example.jp",
                                     key_from(Service.body(mail)))
        self.assertEqual(status, 200, body)
        self.assertEqual(admin(self.svc, "user-import", "-", "--key-ttl",
                               "0").returncode, 2)

    def test_usage(self):
        self.assertEqual(admin(self.svc, "user-import").returncode, 2)
        r = admin(self.svc, "user-import", "/nonexistent/file.csv")
        self.assertEqual(r.returncode, 1)
        r = run_import(self.svc, "user_id,name,kind\nx@example.jp,X,y\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn('no column "kind" in the lgpos profile',
                      r.stderr.decode())
        r = run_import(self.svc, "name,email\nX,x@example.jp\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn('no column "user_id"', r.stderr.decode())
        self.assertEqual(self.svc.sql("SELECT COUNT(*) FROM users WHERE "
                                      "user_id = 'x@example.jp'"), [(0,)])


class NoPasswordTimingTest(Common, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["lockout_failures = 100", "hash_time = 8"])

    @classmethod
    def tearDownClass(cls):
        assert cls.svc.stop() == 0
        cls.svc.cleanup()

    def test_no_password_costs_a_hash(self):
        """A log-in to an account without a password takes as long as a
        wrong password (a dummy hash), so that timing does not tell which
        accounts have not set one yet: medians of the same run.  The
        hash costs more than usual here, so that it, not the TLS
        handshake of each request, makes the difference."""
        r = run_import(self.svc, "user_id,name\nnopw@example.jp,No Pw\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.svc.add_user("withpw@example.jp", "With Pw",
                                           PASSWORD).returncode, 0)

        def median(user_id):
            times = []
            for _ in range(5):
                start = time.monotonic()
                self.assertError(self.login(user_id, "Wrong-pass1"), 401,
                                 "invalid_credentials")
                times.append(time.monotonic() - start)
            return statistics.median(times)
        without, wrong = median("nopw@example.jp"), median("withpw@example.jp")
        self.assertGreater(without, wrong * 0.5, (without, wrong))


class IssuedIdsTest(Common, unittest.TestCase):
    """oss and immigration issue IDs: they are in the output file, and a
    row is known again by its address and name."""

    def issued(self, profile, text, columns):
        svc = Service([f"profile = {profile}"])
        self.svc = svc
        try:
            out = os.path.join(svc.dir, "issued.csv")
            r = run_import(svc, text, "--output", out, stdin=False)
            self.assertEqual(r.returncode, 0, r.stderr)
            # The IDs are in the file, not on stdout, when it is given.
            self.assertNotRegex(r.stdout.decode(), r"(?m)^\d+\t")
            with open(out, newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(list(rows[0]), columns)
            stored = dict(svc.sql("SELECT email, user_id FROM users"))
            for row in rows:
                self.assertEqual(row["status"], "imported")
                self.assertEqual(stored[row["email"]], row["user_id"])
            # Again: the same people, reported with their IDs.
            r = run_import(svc, text, "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            again = results(r)["results"]
            self.assertEqual([x["status"] for x in again],
                             ["exists"] * len(rows))
            self.assertEqual([x["user_id"] for x in again],
                             [x["user_id"] for x in rows])
            self.assertEqual(svc.sql("SELECT COUNT(*) FROM users"),
                             [(len(rows),)])
            return svc, rows
        except BaseException:
            svc.stop()
            svc.cleanup()
            raise

    def test_oss(self):
        text = ("name,email,kind,bulk_password_hash\n"
                "軽 太郎,kei@example.jp,,\n"
                '"Corp, Inc.",corp@example.jp,corporation,\n')
        svc, rows = self.issued("oss", text, [
            "line", "status", "user_id", "bulk_user_id", "email", "name",
            "key_mailed", "field", "error"])
        try:
            for row in rows:
                self.assertRegex(row["user_id"], r"^KN[A-Z]{2}\d{4}$")
                self.assertEqual(row["bulk_user_id"],
                                 "KI" + row["user_id"][2:])
                self.assertEqual(row["key_mailed"], "yes")
            self.assertEqual(rows[1]["name"], "Corp, Inc.")
            kinds = dict(svc.sql("SELECT email, kind FROM users"))
            self.assertEqual(kinds, {"kei@example.jp": "individual",
                                     "corp@example.jp": "corporation"})
            mail = svc.wait_mail("kei@example.jp")[0]
            self.assertIn(rows[0]["user_id"], Service.body(mail))
            status, _, body = self.reset(rows[0]["user_id"],
                                         key_from(Service.body(mail)))
            self.assertEqual(status, 200, body)
            self.assertEqual(self.login(rows[0]["user_id"],
                                        NEW_PASSWORD)[0], 201)
        finally:
            assert svc.stop() == 0
            svc.cleanup()

    def test_immigration(self):
        text = ("name_latin,category,email,lang\n"
                "NGUYEN VAN AN,foreign_national,an@example.com,vi\n"
                "LI WEI,attorney,li@example.com,zh_CN\n")
        svc, rows = self.issued("immigration", text, [
            "line", "status", "user_id", "email", "name", "key_mailed",
            "field", "error"])
        try:
            for row in rows:
                self.assertRegex(row["user_id"], r"^IM\d{8}$")
            stored = sorted(svc.sql("SELECT name, name_latin, kind FROM "
                                    "users"))
            self.assertEqual(stored, [
                ("LI WEI", "LI WEI", "attorney"),
                ("NGUYEN VAN AN", "NGUYEN VAN AN", "foreign_national")])
            # Without --output the issued IDs are printed, a line each.
            r = run_import(svc, "name_latin,category,email\n"
                           "TRAN THI BINH,foreign_national,"
                           "binh@example.com\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout.decode(),
                             r"(?m)^2\tIM\d{8}\tbinh@example\.com$")
        finally:
            assert svc.stop() == 0
            svc.cleanup()


class SpeedTest(unittest.TestCase):
    """20,000 users, half with a hash and half with a mailed key, against
    user-add in the same run: at least 50 times faster per user.  The
    service is stopped first, so that its mail worker does not deliver
    the 10,000 mails while the import is timed."""

    USERS = 20000
    FASTER = 50

    def test_import_is_fast(self):
        svc = Service([])
        try:
            h = service_hash(svc, "speed-hash@example.jp", PASSWORD)
            assert svc.stop() == 0
            adds = []
            for i in range(3):
                start = time.monotonic()
                r = svc.add_user(f"speed-add{i}@example.jp", "Speed Add",
                                 PASSWORD)
                adds.append(time.monotonic() - start)
                self.assertEqual(r.returncode, 0, r.stderr)
            one_add = statistics.median(adds)
            rows = io.StringIO()
            rows.write("user_id,name,password_hash\n")
            for i in range(self.USERS):
                rows.write(f"speed{i}@example.jp,利用者 {i},"
                           + (f'"{h}"' if i % 2 else "") + "\n")
            start = time.monotonic()
            r = run_import(svc, rows.getvalue(), stdin=False)
            took = time.monotonic() - start
            self.assertEqual(r.returncode, 0, r.stderr)
            limit = self.USERS / self.FASTER * one_add
            self.assertLess(took, limit,
                            f"{self.USERS} users took {took:.1f} s; one "
                            f"user-add {one_add:.3f} s")
            print(f"{self.USERS} users imported in {took:.1f} s; one "
                  f"user-add {one_add:.3f} s; limit {limit:.1f} s",
                  file=sys.stderr)
            # Progress on stderr: rows, rate and what is left.
            self.assertRegex(r.stderr.decode(), r"user-import: \d+ rows "
                             r"read, \d+ imported, 0 skipped; \d+ rows a "
                             r"second, about \d+ s left")
            self.assertEqual(svc.sql("SELECT COUNT(*) FROM users WHERE "
                                     "user_id LIKE 'speed%'"),
                             [(self.USERS + 3,)])
            self.assertEqual(svc.sql("SELECT COUNT(*) FROM codes"),
                             [(self.USERS // 2,)])
            self.assertEqual(svc.sql("SELECT COUNT(*) FROM mail_outbox "
                                     "WHERE kind = 'account_key'"),
                             [(self.USERS // 2,)])
        finally:
            svc.stop()
            svc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
