"""Rate limits and the purge (issue 9, "Rate limits").

One client made 400 registrations and 2,000 code guesses against one
address in 9 s, all accepted.  With the default limits the same attack is
cut to a bounded number an hour: the owner of the address gets that many
mails and no more, the guesses that reach a code are that many and no
more, and the limit lifts once the hour is over (test clock).  A second
address from the same client is refused only by the per-client limit; a
second client (127.0.0.2, which Linux routes on loopback like 127.0.0.1)
has a count of its own.  Log-ins are limited per user ID (known or not,
alike) and per client.  Concurrent attempts never slip past a limit.
Refused attempts do no work: no row, no mail, no code counted.

The purge deletes what nobody can use any more, each after its retention
time, and keeps what is live."""

import concurrent.futures
import http.client
import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import ErrorAssertions, Service, code_from, key_from  # noqa

PASSWORD = "Madoguchi-2025"
NEW_PASSWORD = "Kawasaki-2026"
VICTIM = "victim@example.jp"
OTHER_CLIENT = "127.0.0.2"


def call(svc, method, path, body=None, source="127.0.0.1", token=None):
    """One HTTPS request from a chosen local address; (status, headers,
    parsed body)."""
    conn = http.client.HTTPSConnection("127.0.0.1", svc.port,
                                       context=svc.ctx, timeout=30,
                                       source_address=(source, 0))
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    return resp.status, resp.headers, json.loads(payload) if payload else None


def register(svc, address, source="127.0.0.1"):
    return call(svc, "POST", "/api/v1/registrations",
                {"email": address, "email_confirm": address, "lang": "en"},
                source=source)


def count(svc, sql, *args):
    return svc.sql(sql, *args)[0][0]


def wait_until(pred, what, timeout=20):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting until " + what)
        time.sleep(0.1)


def sync_mail(svc, source=OTHER_CLIENT):
    """Wait until every mail queued so far is delivered: the worker sends
    oldest first, so a new mail arriving means the earlier ones did."""
    barrier = f"barrier{time.monotonic_ns()}@example.jp"
    status, _, body = register(svc, barrier, source=source)
    assert status == 202, body
    svc.wait_mail(barrier, 1)


class RateLimitTest(ErrorAssertions, unittest.TestCase):
    def start(self, config=()):
        svc = Service(list(config))
        self.addCleanup(svc.cleanup)
        self.addCleanup(svc.stop)
        return svc

    def assertLimited(self, result):
        """429 rate_limited whose Retry-After header and params agree and
        lie within the window."""
        status, headers, body = result
        err = self.assertError(result, 429, "rate_limited")
        retry = err["params"]["retry_after"]
        self.assertIsInstance(retry, int)
        self.assertEqual(headers["Retry-After"], str(retry))
        self.assertGreater(retry, 0)
        self.assertLessEqual(retry, 3600)
        return retry

    def test_01_brute_force_of_one_address_is_bounded(self):
        svc = self.start()
        _, _, info = svc.request("GET", "/api/v1/info")
        reg = info["rate_limits"]["registration"]
        guess = info["rate_limits"]["code"]
        # The defaults this test is about: a few per address, tens per
        # client, an hour.
        self.assertEqual(reg, {"per_client": 50, "per_target": 5,
                               "window": 3600})
        self.assertEqual(guess, {"per_client": 100, "per_target": 10,
                                 "window": 3600})

        # The attack: registrations for one address, as fast as it goes.
        attempts = 30
        handles, refused = [], 0
        for _ in range(attempts):
            result = register(svc, VICTIM)
            if result[0] == 202:
                handles.append(result[2]["registration"])
            else:
                self.assertLimited(result)
                refused += 1
        self.assertEqual(len(handles), reg["per_target"])
        self.assertEqual(refused, attempts - reg["per_target"])
        # Refused starts left nothing: no row, no mail.
        self.assertEqual(count(svc, "SELECT count(*) FROM registrations "
                                    "WHERE email = ?", VICTIM),
                         reg["per_target"])
        sync_mail(svc)
        mails = svc.mails(VICTIM)
        self.assertEqual(len(mails), reg["per_target"])
        codes = {code_from(Service.body(m)) for m in mails}
        wrong = next(f"{n:06d}" for n in range(10**6)
                     if f"{n:06d}" not in codes)

        # Guesses spread over the handles: each handle allows 5 tries,
        # but the address allows only per_target an hour in all.
        checked, limited = 0, 0
        for i in range(60):
            result = call(svc, "POST", "/api/v1/registrations/verify",
                          {"registration": handles[i % len(handles)],
                           "code": wrong})
            if result[0] == 429:
                self.assertLimited(result)
                limited += 1
            else:
                self.assertIn(result[0], (422, 410), result[2])
                checked += 1
        self.assertEqual(checked, guess["per_target"])
        self.assertEqual(limited, 60 - guess["per_target"])
        # Refused guesses were not checked: the tries counted on the
        # handles are exactly the guesses let through.
        self.assertEqual(count(svc, "SELECT sum(attempts) FROM "
                                    "registrations WHERE email = ?", VICTIM),
                         guess["per_target"])
        # Even the right code is refused now: no code is checked at all.
        last = handles[-1]
        right = code_from(Service.body(mails[-1]))
        self.assertLimited(call(svc, "POST", "/api/v1/registrations/verify",
                                {"registration": last, "code": right}))

        # A second address from the same client is not held back by the
        # first one's limit, only by the client's: the 30 attempts above
        # (refused ones too) and the new ones make per_client.
        used = attempts
        accepted = 0
        for n in range(reg["per_client"]):
            result = register(svc, f"second{n}@example.jp")
            if result[0] == 202:
                accepted += 1
            else:
                self.assertLimited(result)
        self.assertEqual(accepted, reg["per_client"] - used)
        # A second client is not held back by the first one's limit ...
        self.assertEqual(register(svc, "third@example.jp",
                                  source=OTHER_CLIENT)[0], 202)
        # ... but cannot take over the attack: the address's limit holds
        # whoever asks.
        self.assertLimited(register(svc, VICTIM, source=OTHER_CLIENT))
        self.assertLimited(call(svc, "POST", "/api/v1/registrations/verify",
                                {"registration": last, "code": right},
                                source=OTHER_CLIENT))
        sync_mail(svc)
        self.assertEqual(len(svc.mails(VICTIM)), reg["per_target"])

        # An hour on, the limits lift: the owner can register again.
        svc.advance(3601)
        status, _, body = register(svc, VICTIM)
        self.assertEqual(status, 202, body)
        mail = svc.wait_mail(VICTIM, reg["per_target"] + 1)[-1]
        status, _, body = call(svc, "POST", "/api/v1/registrations/verify",
                               {"registration": body["registration"],
                                "code": code_from(Service.body(mail))})
        self.assertEqual(status, 200, body)

    def test_02_concurrent_attempts_do_not_slip_past(self):
        svc = self.start(["rate_registration_per_target = 5"])
        barrier = threading.Barrier(20, timeout=30)

        def one(_):
            barrier.wait()
            return register(svc, VICTIM)[0]

        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(one, range(20), timeout=120))
        self.assertEqual(statuses.count(202), 5, statuses)
        self.assertEqual(statuses.count(429), 15, statuses)
        self.assertEqual(count(svc, "SELECT count(*) FROM registrations"), 5)

    def test_03_log_ins_per_user_id_and_per_client(self):
        svc = self.start(["rate_login_per_target = 3",
                          "rate_login_per_client = 8",
                          "rate_login_window = 600"])
        r = svc.add_user("hanako@example.jp", "Sato Hanako", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)
        _, _, info = svc.request("GET", "/api/v1/info")
        self.assertEqual(info["rate_limits"]["login"],
                         {"per_client": 8, "per_target": 3, "window": 600})

        def login(user, password, source="127.0.0.1"):
            return call(svc, "POST", "/api/v1/session",
                        {"user_id": user, "password": password},
                        source=source)

        for _ in range(3):
            self.assertError(login("hanako@example.jp", "wrong-password1"),
                             401, "invalid_credentials")
        # The fourth attempt is refused before the password is looked at,
        # even the right one; it is not counted as a failure either.
        retry = self.assertLimited(login("hanako@example.jp", PASSWORD))
        self.assertLessEqual(retry, 600)
        self.assertEqual(count(svc, "SELECT failed_logins FROM users"), 3)
        # The user ID is compared as addresses are: without case.
        self.assertLimited(login("HANAKO@example.JP", PASSWORD))

        # Another user ID from the same client: up to the client's 8.
        statuses = [login("nobody@example.jp", "x")[0] for _ in range(5)]
        self.assertEqual(statuses, [401, 401, 401, 429, 429])
        # 3 + 2 (hanako) + 3 (nobody) = 8: the client is at its limit,
        # and refusals for targets counted towards it.
        self.assertLimited(login("someone@example.jp", "x"))

        # From another client: an unknown ID gets exactly what a known
        # one got (no enumeration by the limit) ...
        unknown = [login("ghost@example.jp", "x", OTHER_CLIENT)[0]
                   for _ in range(4)]
        self.assertEqual(unknown, [401, 401, 401, 429])
        # ... and the known ID's limit holds whoever asks.
        self.assertLimited(login("hanako@example.jp", PASSWORD, OTHER_CLIENT))

        # A3 checks a password like a log-in: the same allowance.
        self.assertLimited(call(svc, "POST", "/api/v1/password", {
            "user_id": "hanako@example.jp", "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD}))

        # The window over, the person logs in.
        svc.advance(601)
        status, _, body = login("hanako@example.jp", PASSWORD)
        self.assertEqual(status, 201, body)

    def test_04_recovery_requests_and_key_guesses(self):
        svc = self.start(["rate_recovery_per_target = 2",
                          "rate_code_per_target = 3"])
        r = svc.add_user("taro@example.jp", "Yamada Taro", PASSWORD)
        self.assertEqual(r.returncode, 0, r.stderr)

        def forgot(user, email):
            return call(svc, "POST", "/api/v1/recovery/password",
                        {"user_id": user, "email": email, "lang": "en"})

        self.assertEqual(forgot("taro@example.jp", "taro@example.jp")[0], 202)
        self.assertEqual(forgot("taro@example.jp", "taro@example.jp")[0], 202)
        self.assertLimited(forgot("taro@example.jp", "taro@example.jp"))
        # An unknown ID is limited alike.
        self.assertEqual(forgot("nobody@example.jp", "a@example.jp")[0], 202)
        self.assertEqual(forgot("nobody@example.jp", "a@example.jp")[0], 202)
        self.assertLimited(forgot("nobody@example.jp", "a@example.jp"))
        sync_mail(svc)
        mails = svc.mails("taro@example.jp")
        self.assertEqual(len(mails), 2)
        key = key_from(Service.body(mails[-1]))

        def reset(k):
            return call(svc, "POST", "/api/v1/recovery/password/reset",
                        {"user_id": "taro@example.jp", "key": k,
                         "new_password": NEW_PASSWORD,
                         "new_password_confirm": NEW_PASSWORD})

        self.assertError(reset("AAAA-AAAA-AAAA"), 422, "wrong_code", "key")
        self.assertError(reset("AAAA-AAAA-AAAA"), 422, "wrong_code", "key")
        self.assertError(reset("AAAA-AAAA-AAAA"), 422, "wrong_code", "key")
        # The fourth guess, right or not, is not checked.
        self.assertLimited(reset(key))
        self.assertEqual(count(svc, "SELECT attempts FROM codes"), 3)
        svc.advance(3601)
        status, _, body = reset(key)
        self.assertEqual(status, 200, body)

    def test_05_purge_keeps_live_rows_and_deletes_dead_ones(self):
        svc = self.start(["code_ttl = 7200", "reset_key_ttl = 7200",
                          "purge_registrations_after = 3600",
                          "purge_codes_after = 3600",
                          "purge_sent_mail_after = 3600"])
        for user in ("u@example.jp", "v@example.jp"):
            r = svc.add_user(user, "Purge Test", PASSWORD)
            self.assertEqual(r.returncode, 0, r.stderr)
        # A pre-registration (expires in 2 h), a reset key used at once
        # and one never used (both expire in 2 h).
        self.assertEqual(register(svc, "old@example.jp")[0], 202)
        for user in ("u@example.jp", "v@example.jp"):
            status, _, body = call(svc, "POST", "/api/v1/recovery/password",
                                   {"user_id": user, "email": user})
            self.assertEqual(status, 202, body)
        key = key_from(Service.body(svc.wait_mail("u@example.jp")[0]))
        status, _, body = call(svc, "POST", "/api/v1/recovery/password/reset",
                               {"user_id": "u@example.jp", "key": key,
                                "new_password": NEW_PASSWORD,
                                "new_password_confirm": NEW_PASSWORD})
        self.assertEqual(status, 200, body)
        sync_mail(svc)
        # A mail that can never be sent stays for an operator to see.
        svc.sql("INSERT INTO mail_outbox (kind, recipient, lang,"
                " params, created_at, attempts, next_attempt_at,"
                " last_error) VALUES ('nonsense', 'x@example.jp',"
                " 'en', '{}', 0, 1, 9223372036854775807, 'test')")
        sent = count(svc, "SELECT count(*) FROM mail_outbox"
                          " WHERE sent_at IS NOT NULL")
        self.assertGreaterEqual(sent, 5)
        self.assertGreater(count(svc, "SELECT count(*) FROM rate_limits"), 0)
        self.assertEqual(count(svc, "SELECT count(*) FROM codes"), 2)
        # old@ and sync_mail's own, both expiring in 2 h.
        self.assertEqual(count(svc, "SELECT count(*) FROM registrations"), 2)

        # 1.5 h on: the rate-limit windows (1 h), the used key and the
        # sent mails (kept 1 h) go; the pre-registrations and the unused
        # key (expiring at 2 h, then kept 1 h) stay.
        svc.advance(5400)
        wait_until(lambda: count(svc, "SELECT count(*) FROM rate_limits")
                   == 0, "the rate-limit counters are purged")
        wait_until(lambda: count(svc, "SELECT count(*) FROM mail_outbox"
                                      " WHERE sent_at IS NOT NULL") == 0,
                   "the sent mails are purged")
        self.assertEqual(count(svc, "SELECT count(*) FROM codes"
                                    " WHERE used_at IS NOT NULL"), 0)
        self.assertEqual(count(svc, "SELECT count(*) FROM codes"), 1)
        self.assertEqual(count(svc, "SELECT count(*) FROM registrations"), 2)
        self.assertEqual(count(svc, "SELECT count(*) FROM mail_outbox"), 1)

        # A mail sent now goes in the next pass but one: it shows that
        # pass has run.
        sync_mail(svc)
        later = count(svc, "SELECT max(id) FROM mail_outbox")
        # About 2.6 h on: the old pre-registrations and the unused key
        # have expired but are still within their hour of retention.
        svc.advance(3800)
        wait_until(lambda: count(svc, "SELECT count(*) FROM mail_outbox"
                                      " WHERE id = ?", later) == 0,
                   "the later mail is purged")
        self.assertEqual(count(svc, "SELECT count(*) FROM registrations"
                                    " WHERE email = 'old@example.jp'"), 1)
        self.assertEqual(count(svc, "SELECT count(*) FROM codes"), 1)

        # About 3.6 h on: past expiry and retention, they go too.  Users
        # and the failed mail stay.
        svc.advance(3600)
        wait_until(lambda: count(svc, "SELECT count(*) FROM registrations"
                                      " WHERE email = 'old@example.jp'")
                   == 0, "the old pre-registration is purged")
        wait_until(lambda: count(svc, "SELECT count(*) FROM codes") == 0,
                   "the unused key is purged")
        self.assertEqual(count(svc, "SELECT count(*) FROM users"), 2)
        self.assertEqual(count(svc, "SELECT count(*) FROM mail_outbox"
                                    " WHERE sent_at IS NULL"), 1)
        self.assertIn("purge:", svc.read_log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
