"""Dates in mails are Japan time unless configured otherwise (issue 5):
with no TZ in the environment the service uses its `timezone` setting,
Asia/Tokyo by default."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service  # noqa: E402


def date_of_first_mail(config, to):
    env = {k: v for k, v in os.environ.items() if k != "TZ"}
    svc = Service(config, env=env)
    try:
        status, _, _ = svc.request("POST", "/api/v1/registrations", {
            "email": to, "email_confirm": to, "lang": "en"})
        assert status == 202, status
        return str(svc.wait_mail(to)[0]["Date"])
    finally:
        svc.stop()
        svc.cleanup()


class TimezoneTest(unittest.TestCase):
    def test_default_is_japan_time(self):
        self.assertTrue(date_of_first_mail([], "tz@example.jp")
                        .endswith("+0900"))

    def test_configured_zone_wins(self):
        self.assertTrue(date_of_first_mail(["timezone = UTC"], "tz@example.jp")
                        .endswith("+0000"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
