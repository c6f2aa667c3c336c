"""API tests of notices (SPEC P1) and certificate receipts (SPEC M7):
paging, one notice, registering receipt once, other people's numbers,
and the profiles without receipts; with the notice-add and
certificate-issue commands that feed them."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi2025!"


def run(svc, *args, stdin=""):
    return subprocess.run([os.environ["MADOGUCHID"], "--config", svc.conf,
                           *args], input=stdin, capture_output=True,
                          text=isinstance(stdin, str))


def add_immigrant(svc, name_latin, mail, lang="ja"):
    """user-add in immigration, where the service issues the user ID."""
    r = run(svc, "user-add", "--name-latin", name_latin, "--category",
            "foreign_national", "--email", mail, "--lang", lang,
            stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    return re.search(r"user (\S+) created", r.stdout).group(1)


class Shared:
    def assertError(self, result, status, code, field=None):
        got_status, _, body = result
        self.assertEqual(got_status, status, body)
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], code, body)
        self.assertEqual(body["error"]["field"], field, body)

    def login(self, user_id):
        status, _, body = self.svc.request(
            "POST", "/api/v1/session", {"user_id": user_id,
                                        "password": PASSWORD})
        self.assertEqual(status, 201, body)
        return body["token"]


class NoticesTest(Shared, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service()
        r = cls.svc.add_user("taro@example.jp", "山田 太郎", PASSWORD)
        assert r.returncode == 0, r.stderr
        cls.ids = []
        for i in range(23):
            r = run(cls.svc, "notice-add", "--title", f"お知らせ {i + 1}",
                    "--date", f"2025-07-{i + 1:02d}",
                    stdin=f"本文 {i + 1}\n二行目\n")
            assert r.returncode == 0, r.stderr
            cls.ids.append(int(r.stdout.strip()))

    @classmethod
    def tearDownClass(cls):
        status = cls.svc.stop()
        assert status == 0, f"madoguchid exited {status} on SIGTERM"
        cls.svc.cleanup()

    def page(self, query=""):
        return self.svc.request("GET", "/api/v1/notices" + query)

    def test_three_pages_of_ten(self):
        status, _, body = self.page()
        self.assertEqual(status, 200, body)
        self.assertEqual((body["page"], body["per_page"], body["total"],
                          body["pages"]), (1, 10, 23, 3))
        self.assertEqual(len(body["items"]), 10)
        # Newest first.
        self.assertEqual(body["items"][0]["title"], "お知らせ 23")
        self.assertEqual(set(body["items"][0]),
                         {"id", "published_at", "title"})
        seen = [i["id"] for i in body["items"]]
        status, _, body = self.page("?page=2")
        seen += [i["id"] for i in body["items"]]
        status, _, body = self.page("?page=3")
        self.assertEqual(status, 200, body)
        self.assertEqual(len(body["items"]), 3)
        self.assertEqual(body["items"][-1]["title"], "お知らせ 1")
        seen += [i["id"] for i in body["items"]]
        self.assertEqual(sorted(seen), sorted(self.ids))
        times = []
        for p in (1, 2, 3):
            times += [i["published_at"] for i in
                      self.page(f"?page={p}")[2]["items"]]
        self.assertEqual(times, sorted(times, reverse=True))
        status, _, body = self.page("?page=4")
        self.assertEqual((status, body["items"], body["pages"]), (200, [], 3))

    def test_per_page(self):
        status, _, body = self.page("?per_page=100")
        self.assertEqual((status, len(body["items"]), body["pages"]),
                         (200, 23, 1))
        status, _, body = self.page("?per_page=5&page=5")
        self.assertEqual((len(body["items"]), body["pages"]), (3, 5))

    def test_bad_paging_arguments(self):
        for query, field in (("?page=0", "page"), ("?page=abc", "page"),
                             ("?page=", "page"), ("?page=-1", "page"),
                             ("?page=1.5", "page"),
                             ("?per_page=0", "per_page"),
                             ("?per_page=101", "per_page"),
                             ("?per_page=x", "per_page")):
            self.assertError(self.page(query), 422, "bad_format", field)

    def test_one_notice(self):
        status, _, body = self.svc.request(
            "GET", f"/api/v1/notices/{self.ids[4]}")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["title"], "お知らせ 5")
        self.assertEqual(body["body"], "本文 5\n二行目\n")
        self.assertEqual(set(body), {"id", "published_at", "title", "body"})
        for bad in ("abc", "99999", "1x", "-1"):
            self.assertError(self.svc.request(
                "GET", f"/api/v1/notices/{bad}"), 404, "not_found")

    def test_receipts_only_in_immigration(self):
        token = self.login("taro@example.jp")
        self.assertError(self.svc.request("GET", "/api/v1/me/receipts",
                                          token=token),
                         404, "not_available")
        self.assertError(self.svc.request(
            "POST", "/api/v1/me/receipts/202507231500000001/register",
            token=token), 404, "not_available")
        self.assertError(self.svc.request("GET", "/api/v1/me/receipts"),
                         401, "unauthorized")
        r = run(self.svc, "certificate-issue", "taro@example.jp")
        self.assertEqual(r.returncode, 1)


class NoticeAddTest(unittest.TestCase):
    def setUp(self):
        self.svc = Service()

    def tearDown(self):
        self.svc.stop()
        self.svc.cleanup()

    def test_notice_add_from_a_file(self):
        path = os.path.join(self.svc.dir, "notice.txt")
        with open(path, "w") as f:
            f.write("メンテナンスのお知らせ本文")
        r = run(self.svc, "notice-add", "--title", "メンテナンス",
                "--body-file", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        nid = int(r.stdout)
        status, _, body = self.svc.request("GET", f"/api/v1/notices/{nid}")
        self.assertEqual(body["body"], "メンテナンスのお知らせ本文")
        # Without --date it is published now: the newest.
        run(self.svc, "notice-add", "--title", "old", "--date", "2020-01-01")
        status, _, body = self.svc.request("GET", "/api/v1/notices")
        self.assertEqual(body["items"][0]["id"], nid)
        self.assertEqual(body["total"], 2)
        r = run(self.svc, "notice-add", "--title", "x", "--date",
                "2025-02-30")
        self.assertEqual(r.returncode, 2)
        r = run(self.svc, "notice-add", "--title", "")
        self.assertEqual(r.returncode, 1)
        r = run(self.svc, "notice-add", "--title", "x", stdin=b"\xff")
        self.assertEqual(r.returncode, 1)


class ReceiptsTest(Shared, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = Service(["profile = immigration"])
        cls.an = add_immigrant(cls.svc, "NGUYEN VAN AN", "an@example.jp")
        cls.bo = add_immigrant(cls.svc, "BO MIN", "bo@example.jp")
        cls.numbers = []
        for i in range(45):
            r = run(cls.svc, "certificate-issue", cls.an, "--number",
                    f"2025072315{i:08d}")
            assert r.returncode == 0, r.stderr
            cls.numbers.append(r.stdout.strip())
        r = run(cls.svc, "certificate-issue", cls.bo)
        assert r.returncode == 0, r.stderr
        cls.bo_number = r.stdout.strip()

    @classmethod
    def tearDownClass(cls):
        status = cls.svc.stop()
        assert status == 0, f"madoguchid exited {status} on SIGTERM"
        cls.svc.cleanup()

    def test_generated_number(self):
        self.assertRegex(self.bo_number, r"^\d{18}$")
        r = run(self.svc, "certificate-issue", "nobody")
        self.assertEqual(r.returncode, 1)
        r = run(self.svc, "certificate-issue", self.an, "--number",
                self.numbers[0])
        self.assertEqual(r.returncode, 1)
        self.assertIn("taken", r.stderr)
        r = run(self.svc, "certificate-issue", self.an, "--number", "a/b")
        self.assertEqual(r.returncode, 2)

    def test_pages_of_twenty(self):
        token = self.login(self.an)
        got = []
        for page, count in ((1, 20), (2, 20), (3, 5)):
            status, _, body = self.svc.request(
                "GET", f"/api/v1/me/receipts?page={page}", token=token)
            self.assertEqual(status, 200, body)
            self.assertEqual((body["page"], body["per_page"], body["total"],
                              body["pages"]), (page, 20, 45, 3))
            self.assertEqual(len(body["items"]), count)
            self.assertIsInstance(body["as_of"], int)
            got += [i["number"] for i in body["items"]]
        # Newest first; only this user's.
        self.assertEqual(got, list(reversed(self.numbers)))
        status, _, body = self.svc.request(
            "GET", "/api/v1/me/receipts?per_page=50", token=token)
        self.assertEqual((len(body["items"]), body["pages"]), (45, 1))
        self.assertError(self.svc.request(
            "GET", "/api/v1/me/receipts?per_page=101", token=token),
            422, "bad_format", "per_page")
        self.assertError(self.svc.request(
            "GET", "/api/v1/me/receipts?page=x", token=token),
            422, "bad_format", "page")
        self.assertError(self.svc.request("GET", "/api/v1/me/receipts"),
                         401, "unauthorized")

    def test_register_once(self):
        token = self.login(self.an)
        number = self.numbers[7]
        path = f"/api/v1/me/receipts/{number}/register"
        status, _, body = self.svc.request("POST", path, token=token)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["number"], number)
        self.assertEqual(body["status"], "registered")
        self.assertIsInstance(body["registered_at"], int)
        self.assertError(self.svc.request("POST", path, token=token),
                         409, "already_registered")
        status, _, body = self.svc.request(
            "GET", "/api/v1/me/receipts?per_page=100", token=token)
        items = {i["number"]: i for i in body["items"]}
        self.assertEqual(items[number]["status"], "registered")
        self.assertEqual(items[self.numbers[8]]["status"], "unregistered")
        self.assertIsNone(items[self.numbers[8]]["registered_at"])
        self.assertError(self.svc.request(
            "POST", path, token=None), 401, "unauthorized")

    def test_someone_elses_number(self):
        token = self.login(self.bo)
        self.assertError(self.svc.request(
            "POST", f"/api/v1/me/receipts/{self.numbers[0]}/register",
            token=token), 404, "not_found")
        self.assertError(self.svc.request(
            "POST", "/api/v1/me/receipts/000000000000000000/register",
            token=token), 404, "not_found")
        status, _, body = self.svc.request("GET", "/api/v1/me/receipts",
                                           token=token)
        self.assertEqual([i["number"] for i in body["items"]],
                         [self.bo_number])
        self.assertEqual(body["pages"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
