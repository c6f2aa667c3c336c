"""P2: a language chosen after log-in is sent to the service
(PATCH /api/v1/session {lang}); the mails the session causes from then on
are in it."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

PASSWORD = "Madoguchi2025"


class SessionLangTest(unittest.TestCase):
    def test_switch_after_login_changes_mail_language(self):
        svc = Service()
        try:
            r = svc.add_user("lang@example.jp", "Lang Test", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
            status, _, body = svc.request("POST", "/api/v1/session", {
                "user_id": "lang@example.jp", "password": PASSWORD,
                "lang": "en"})
            self.assertEqual(status, 201)
            token = body["token"]
            # Bad values are refused on their field.
            status, _, err = svc.request("PATCH", "/api/v1/session",
                                         {"lang": "fr"}, token=token)
            self.assertEqual((status, err["error"]["code"],
                              err["error"]["field"]),
                             (422, "bad_format", "lang"))
            status, _, body = svc.request("PATCH", "/api/v1/session",
                                          {"lang": "ja"}, token=token)
            self.assertEqual((status, body), (200, {"lang": "ja"}))
            status, _, _ = svc.request("POST", "/api/v1/me/password", {
                "current_password": PASSWORD,
                "new_password": "Madoguchi2026",
                "new_password_confirm": "Madoguchi2026"}, token=token)
            self.assertEqual(status, 200)
            mail = svc.wait_mail("lang@example.jp")[0]
            subject = str(mail["Subject"])
            self.assertRegex(subject, r"[\u3040-\u30ff\u4e00-\u9fff]",
                             f"not Japanese: {subject}")
            self.assertEqual(svc.request("PATCH", "/api/v1/session",
                                         {"lang": "ja"})[0], 401)
        finally:
            svc.stop()
            svc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
