"""Golden mails (issue 5): every kind of mail the service sends, in each
of the eight languages, as a person's mail program shows it (subject and
body, decoded), kept under tests/golden/mail/LANG/KIND.txt and compared
on every run.  They let a reviewer who reads one of the languages read
every mail in it.

The service's clock stands still at 2025-07-23 15:00 JST, and each mail is
queued with fixed values, as the flow behind it queues it (a row in
mail_outbox), so the text is the same on every run.

GOLDEN_UPDATE=1 rewrites the files instead (make golden)."""

import difflib
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402

LANGS = ("ja", "en", "zh_CN", "zh_TW", "ko", "es", "vi", "tl")
NOW = 1753250400  # 2025-07-23 15:00 in Japan
# Each kind with the params its flow gives it (docs/api.md, mail).
KINDS = {
    "registration_code": {"code": "326630", "ttl_minutes": 30},
    "registration_key": {"key": "ABCD-EFGH-JKLM", "ttl_hours": 24},
    "registration_exists": {},
    "registration_complete": {"name": "山田 太郎",
                              "user_id": "yamada@example.jp"},
    "user_id_reminder": {"name": "NGUYEN VAN AN", "user_id": "IM12345678"},
    "reset_key": {"user_id": "yamada@example.jp", "key": "ABCD-EFGH-JKLM",
                  "ttl_hours": 24},
    "account_key": {"name": "山田 太郎", "user_id": "yamada@example.jp",
                    "key": "ABCD-EFGH-JKLM", "ttl_hours": 24},
    "reset_complete": {"user_id": "yamada@example.jp"},
    "password_changed": {"user_id": "yamada@example.jp"},
    "email_change_code": {"code": "326630", "ttl_minutes": 30},
    "email_changed": {"user_id": "yamada@example.jp"},
    "email_change_notice": {"new_email": "taro@example.jp"},
    "details_changed": {"user_id": "KNAB1234"},
    "bulk_reset_key": {"bulk_user_id": "KIAB1234", "key": "ABCD-EFGH-JKLM",
                       "ttl_hours": 24, "requested_at": NOW},
    "bulk_reset_complete": {"bulk_user_id": "KIAB1234"},
    "receipt_reminder": {"number": "202507231500000001",
                         "name": "NGUYEN VAN AN", "issued_at": NOW},
}
GOLDEN = os.environ.get("GOLDEN_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "golden")
UPDATE = os.environ.get("GOLDEN_UPDATE", "") not in ("", "0")


class GoldenMailTest(unittest.TestCase):
    def test_every_mail_in_every_language(self):
        svc = Service(["service_name = Madoguchi demo service"])
        try:
            with open(svc.clock, "w") as f:
                f.write(f"@{NOW}\n")
            # One statement: the worker finds them all at once.
            rows = [(kind, f"{kind}.{lang}@example.jp", lang,
                     json.dumps(params, ensure_ascii=False), NOW, NOW)
                    for lang in LANGS for kind, params in KINDS.items()]
            svc.sql("INSERT INTO mail_outbox (kind, recipient, lang,"
                    " params, created_at, next_attempt_at) VALUES " +
                    ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows)),
                    *[v for row in rows for v in row])
            svc.wait_mail("@example.jp", len(LANGS) * len(KINDS), 60)
            got = {}
            for msg in svc.mails():
                kind, lang = str(msg["To"]).split("@")[0].rsplit(".", 1)
                # As a mail program shows it: lines, not CRLF.
                got[(lang, kind)] = (f"Subject: {msg['Subject']}\n\n" +
                                     Service.body(msg).replace("\r\n",
                                                               "\n"))
        finally:
            svc.stop()
            svc.cleanup()

        problems = []
        for lang in LANGS:
            for kind in KINDS:
                text = got.get((lang, kind))
                self.assertIsNotNone(text, f"no {kind} mail in {lang}")
                path = os.path.join(GOLDEN, "mail", lang, kind + ".txt")
                if UPDATE:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(text)
                    continue
                if not os.path.exists(path):
                    problems.append(f"mail/{lang}/{kind}.txt: no golden "
                                    "file (run make golden)")
                    continue
                with open(path, encoding="utf-8") as f:
                    want = f.read()
                if want != text:
                    problems.append("".join(difflib.unified_diff(
                        want.splitlines(True), text.splitlines(True),
                        path, "now")))
                # Every language but English reads differently from it.
                if lang != "en" and text == got.get(("en", kind)):
                    problems.append(f"mail/{lang}/{kind}.txt is English")
        self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    unittest.main(verbosity=2)
