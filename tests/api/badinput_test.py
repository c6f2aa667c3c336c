"""Bad input on every endpoint of docs/api.md: the routes are read from the
document's "METHOD /path" headings at run time, so that a new endpoint is
covered as soon as it is documented.  Every answer must be a 4xx with the
error shape of docs/api.md (never a 5xx, never a hang), naming the member
concerned; after each batch the service must still answer GET /api/v1/info.
Raw-socket abuse (garbage after TLS, half-sent requests, idle connections,
200 connections at once) must not stop it serving others."""

import concurrent.futures
import glob
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service, before_the_database  # noqa: E402

# Four classes, 10-20 long, symbol of the immigration set: every profile.
PASSWORD = "Madoguchi#2025"
USER = "taro@example.jp"
TIMEOUT = 20
DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "docs", "api.md")

# A plausible value for each member docs/api.md names, so that a body is
# well formed apart from the one member under test.  Nothing here may
# change the test user for good: current_password is wrong on purpose.
PLAUSIBLE = {
    "user_id": "nobody@example.jp", "password": PASSWORD,
    "password_confirm": PASSWORD, "lang": "ja",
    "email": "nobody@example.jp", "email_confirm": "nobody@example.jp",
    "registration": "A" * 43, "code": "123456", "type": "individual",
    "family_name": "山田", "given_name": "太郎", "family_name_kana": "ヤマダ",
    "given_name_kana": "タロウ", "postal_code": "1000001",
    "address": "東京都千代田区霞が関1-1", "phone": "0312345678",
    "birth_date": "1980-01-01", "gender": "male", "notify_mail": "no",
    "corporation_name": "窓口株式会社", "corporation_name_kana": "マドグチ",
    "representative": "山田 太郎", "department": "総務部",
    "contact_name": "山田 花子", "contact_birth_date": "1985-05-05",
    "name_latin": "YAMADA TARO", "key": "ABCD-EFGH-JKLM",
    "current_password": "Wrong-pass1", "new_password": "Madoguchi#2026x",
    "new_password_confirm": "Madoguchi#2026x",
    "new_email": "nobody2@example.jp", "new_email_confirm": "nobody2@example.jp",
    "bulk_user_id": "KICA6288", "kind": "individual", "name": "山田 太郎",
    "name_kana": "ヤマダ タロウ", "notify_email": "nobody3@example.jp",
    "notify_email_confirm": "nobody3@example.jp",
}

# Codes that concern one member and so must name it in "field".
FIELD_CODES = {"unknown_field", "missing_field", "wrong_type", "required",
               "too_short", "too_long", "bad_characters", "too_few_classes",
               "bad_email", "mismatch", "bad_format", "common_password",
               "same_password", "wrong_code"}
SHAPE_CODES = {"malformed_json", "invalid_encoding", "body_too_large"}
# The JSON types a member may wrongly be given (null is "missing").
WRONG_TYPES = {"number": 12345, "array": ["x"], "object": {"a": "b"},
               "bool": True}


def doc_routes():
    """(method, path pattern, members, section text) for every endpoint
    docs/api.md documents; members are the names in the section's request
    example and member table (POST and PATCH only)."""
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    heads = list(re.finditer(
        r"^#{2,4}\s+(GET|POST|PUT|PATCH|DELETE)\s+(/api/v1/[^\s?]*)(\?\S*)?",
        text, re.M))
    routes = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        nxt = re.search(r"^#{1,3}\s", text[m.end():end], re.M)
        section = text[m.end():m.end() + nxt.start()] if nxt else \
            text[m.end():end]
        members = []
        if m.group(1) in ("POST", "PATCH"):
            # The request example: the first {...} before the answer.
            req = re.split(r"Response|→|\bResponse\b", section)[0]
            members += re.findall(r'"(\w+)"\s*:', req)
            members += re.findall(r"^\|\s*`(\w+)`\s*\|", section, re.M)
            first = re.search(r"\{[^{}]*\}", req)
            if first:
                members += re.findall(r'"(\w+)"\s*[:,}]', first.group(0))
            if m.group(1) == "PATCH":
                # "Any of the profile's detail members": every name the
                # section or the Fields table gives; the service's
                # answers then tell which this profile allows.
                members += re.findall(r"`(\w+)`", section)
                fields = text.split("### Fields", 1)[-1].split("\n#", 1)[0]
                members += re.findall(r"`(\w+)`", fields)
            if "always:" in section:
                members += re.findall(r"`(\w+)`",
                                      section.split("always:")[1][:200])
            # The table of members by type (registrations/complete).
            for row in re.findall(r"^\|[^|\n]*\|([^|\n]*)\|([^|\n]*)\|",
                                  section, re.M):
                members += re.findall(r"`(\w+)`", " ".join(row))
        members = [x for x in dict.fromkeys(members) if x in PLAUSIBLE]
        routes.append((m.group(1), m.group(2), members, section))
    seen, out = set(), []
    for r in routes:
        if (r[0], r[1]) not in seen:
            seen.add((r[0], r[1]))
            out.append(r)
    return out


def concrete(pattern):
    """A plausible path for a pattern with {...} parts."""
    return re.sub(r"\{(\w*)\}", lambda m: {"number": "202507231500000001",
                                           "id": "1"}.get(m.group(1), "x1"),
                  pattern)


def takes_body(method, section):
    """Does this endpoint read a JSON body?"""
    return method in ("POST", "PATCH") and "No body" not in section


class Client:
    """A keep-alive HTTPS client, one per thread (http.client reconnects
    by itself when the service closed the connection)."""

    def __init__(self, svc):
        self.svc = svc
        self.conn = None

    def request(self, method, path, raw=None, headers=None, token=None):
        hdrs = dict(headers or {})
        if raw is not None:
            hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = "Bearer " + token
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPSConnection(
                    "127.0.0.1", self.svc.port, context=self.svc.ctx,
                    timeout=TIMEOUT)
            try:
                self.conn.request(method, path, body=raw, headers=hdrs)
                resp = self.conn.getresponse()
                payload = resp.read()
            except (ConnectionError, http.client.RemoteDisconnected,
                    http.client.BadStatusLine, ssl.SSLError):
                # A connection the service closed after an earlier
                # answer: retry once on a fresh one.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            except Exception:
                self.conn.close()
                self.conn = None
                raise
            if resp.will_close:
                self.conn.close()
                self.conn = None
            return resp.status, resp.headers, payload
        raise AssertionError("not reached")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class BodyTests:
    """Bad bodies on every body-taking endpoint the profile offers."""
    CONFIG = []
    # Endpoints to cover (a substring of "METHOD /path"); None: all.
    ONLY = None
    # Plausible values that differ in this profile.
    OVERRIDES = {}

    @classmethod
    def add_test_user(cls):
        """The profile's test user, made by the administrative command;
        returns its user ID (issued outside lgpos)."""
        if "profile = immigration" in cls.CONFIG:
            extra = ["--name-latin", "YAMADA TARO", "--category",
                     "foreign_national"]
        elif "profile = oss" in cls.CONFIG:
            extra = ["--name", "山田 太郎"]
        else:
            r = cls.svc.add_user(USER, "山田 太郎", PASSWORD)
            assert r.returncode == 0, r.stderr
            return USER
        r = subprocess.run(
            [os.environ["MADOGUCHID"], "--config", cls.svc.conf, "user-add",
             *extra, "--email", USER], input=PASSWORD + "\n" + PASSWORD + "\n",
            capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return re.search(r"user (\S+) created", r.stdout).group(1)

    @classmethod
    def setUpClass(cls):
        cls.documented = doc_routes()
        cls.svc = Service(["lockout_failures = 100", *cls.CONFIG])
        cls.user_id = cls.add_test_user()
        cls.local = threading.local()
        # Every keep-alive client made, so that each batch of threads
        # closes its connections as a well-behaved client does (the
        # service limits the connections one address keeps open).
        cls.clients = []
        cls.clients_lock = threading.Lock()
        # Only the routes the service has: a method it has for no path
        # is 405 on a path it knows, listing the path's methods in Allow.
        cls.routes, cls.missing = [], []
        for route in cls.documented:
            status, hdrs, _ = cls.svc.request("FROB", concrete(route[1]))
            allow = {x.strip() for x in (hdrs["Allow"] or "").split(",")}
            (cls.routes if status == 405 and route[0] in allow
             else cls.missing).append(route)
        cls.probe_members()

    @classmethod
    def probe_members(cls):
        """Which documented members this profile takes on each endpoint,
        and which endpoints it does not offer at all (not_available):
        a plausible body is sent and members refused as unknown_field
        are dropped until none is."""
        status, _, body = cls.svc.request(
            "POST", "/api/v1/session",
            {"user_id": cls.user_id, "password": PASSWORD})
        assert status == 201, body
        token = body["token"]
        cls.plausible_values = {**PLAUSIBLE, **cls.OVERRIDES}
        cls.live = cls.live_registration()
        cls.members, cls.gated = {}, []
        for method, path, members, section in cls.routes:
            if not takes_body(method, section):
                continue
            members = list(members)
            while True:
                # Every confirmation differs, so that no probe succeeds
                # (and spends the live registration).
                raw = json.dumps({m: "@differs@" if m.endswith("_confirm")
                                  else cls.value(m) for m in members})
                status, _, body = cls.svc.request(
                    method, concrete(path), raw=raw.encode(), token=token)
                err = (body or {}).get("error") or {}
                if err.get("code") == "not_available":
                    cls.gated.append(f"{method} {path}")
                elif err.get("code") == "unknown_field" and \
                        err.get("field") in members:
                    members.remove(err["field"])
                    continue
                break
            cls.members[(method, path)] = members

    @classmethod
    def value(cls, member):
        """The plausible value of a member (the live handle, if any)."""
        return cls.live.get(member, cls.plausible_values[member])

    @classmethod
    def live_registration(cls):
        """A verified registration handle, so that bodies sent to
        registrations/complete get past the handle to their members;
        {} when the profile does not register."""
        address = "live@example.jp"
        status, _, body = cls.svc.request(
            "POST", "/api/v1/registrations",
            {"email": address, "email_confirm": address, "lang": "en"})
        if status != 202:
            return {}
        handle = body["registration"]
        text = Service.body(cls.svc.wait_mail(address)[0])
        code = re.search(r"(?:code|key):\s*([0-9A-Za-z][0-9A-Za-z -]*"
                         r"[0-9A-Za-z])", text, re.I).group(1)
        status, _, body = cls.svc.request(
            "POST", "/api/v1/registrations/verify",
            {"registration": handle, "code": code})
        assert status == 200, body
        return {"registration": handle}

    @classmethod
    def tearDownClass(cls):
        status = cls.svc.stop()
        cls.svc.cleanup()
        assert status == 0, f"madoguchid exited {status} on SIGTERM"

    def setUp(self):
        status, _, body = self.svc.request(
            "POST", "/api/v1/session",
            {"user_id": self.user_id, "password": PASSWORD})
        self.assertEqual(status, 201, body)
        self.token = body["token"]

    def client(self):
        if not hasattr(self.local, "client"):
            self.local.client = Client(self.svc)
            with self.clients_lock:
                self.clients.append(self.local.client)
        return self.local.client

    def close_clients(self):
        with self.clients_lock:
            for c in self.clients:
                c.close()

    def send(self, method, path, raw=None, headers=None, token=True):
        """One request; (status, headers, parsed body or None, raw bytes)."""
        status, hdrs, payload = self.client().request(
            method, path, raw, headers, self.token if token else None)
        parsed = None
        if payload:
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = None
        return status, hdrs, parsed, payload

    def check_error(self, what, result, statuses=None, codes=None,
                    field=None):
        """A 4xx with the error shape of docs/api.md; field, when given,
        must be named whenever the code concerns one member."""
        status, _, body, payload = result
        self.assertTrue(400 <= status < 500,
                        f"{what}: status {status}: {payload[:300]!r}")
        if statuses is not None:
            self.assertIn(status, statuses, f"{what}: {payload[:300]!r}")
        self.assertIsInstance(body, dict, f"{what}: not JSON: "
                              f"{payload[:300]!r}")
        self.assertEqual(set(body), {"error"}, f"{what}: {body}")
        err = body["error"]
        self.assertIsInstance(err.get("code"), str, f"{what}: {body}")
        self.assertIn("field", err, f"{what}: {body}")
        self.assertIsInstance(err.get("params"), dict, f"{what}: {body}")
        self.assertIsInstance(err.get("message"), str, f"{what}: {body}")
        if codes is not None:
            self.assertIn(err["code"], codes, f"{what}: {body}")
        if err["code"] in FIELD_CODES:
            self.assertIsInstance(err["field"], str,
                                  f"{what}: no field: {body}")
            if field is not None:
                self.assertEqual(err["field"], field, f"{what}: {body}")
        return err

    def assert_alive(self):
        """The service still answers, on a fresh connection."""
        status, _, body = self.svc.request("GET", "/api/v1/info")
        self.assertEqual(status, 200, body)
        self.assertIsNone(self.svc.proc.poll(), "madoguchid has exited")

    def body_routes(self):
        """The body-taking endpoints this profile offers, with the
        members it takes."""
        return [(m, concrete(p), self.members[(m, p)], s)
                for m, p, _, s in self.routes if takes_body(m, s) and
                f"{m} {p}" not in self.gated and
                (self.ONLY is None or any(o in f"{m} {p}"
                                          for o in self.ONLY))]

    def run_all(self, jobs):
        """Run (name, fn) jobs on 8 threads; fn raises on failure."""
        failures = []
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            futs = {pool.submit(fn): name for name, fn in jobs}
            for fut in concurrent.futures.as_completed(futs, timeout=120):
                try:
                    fut.result()
                except AssertionError as e:
                    failures.append(f"{futs[fut]}: {e}")
        self.close_clients()
        self.assertFalse(failures, "\n".join(failures[:20]) +
                         f"\n({len(failures)} failures)")
        self.assert_alive()

    def plausible(self, members, **change):
        """A body right in every member but those changed (with the live
        registration handle, where there is one)."""
        body = {m: self.value(m) for m in members}
        body.update(change)
        return body

    def test_endpoints_offered(self):
        print(f"\n{self.__class__.__name__}: not offered in this profile: "
              f"{self.gated}", file=sys.stderr)
        self.assertTrue(self.body_routes())

    # -- bodies ---------------------------------------------------------

    @before_the_database("request parsing")
    def test_malformed_json_everywhere(self):
        bad = [b"{", b"[]", b'"x"', b"null", b"{}x", b'{"a":1,}', b"{'a':1}",
               b'{"a" 1}', b"\xef\xbb\xbf{}", b'{"a":1}{"b":2}', b"-01",
               b'{"a":"\t"}', b"\x00", b"{\x00}", b" " * 100]

        def job(method, path, raw):
            def run():
                err = self.check_error(f"{method} {path} {raw[:20]!r}",
                                       self.send(method, path, raw),
                                       {400}, SHAPE_CODES)
                self.assertEqual(err["field"], None)
            return run
        self.run_all([(f"{m} {p} {raw[:20]!r}", job(m, p, raw))
                      for m, p, _, _ in self.body_routes() for raw in bad])

    @before_the_database("request parsing")
    def test_json_test_suite_everywhere(self):
        corpus = os.environ.get("JSON_CORPUS", "")
        files = sorted(glob.glob(os.path.join(corpus, "n_*.json")))
        self.assertGreater(len(files), 100, "corpus not found: " + corpus)
        data = []
        for path in files:
            with open(path, "rb") as f:
                data.append((os.path.basename(path), f.read()))

        def job(method, path):
            def run():
                for name, raw in data:
                    self.check_error(f"{method} {path} {name}",
                                     self.send(method, path, raw),
                                     {400, 413}, SHAPE_CODES)
            return run
        self.run_all([(f"{m} {p}", job(m, p))
                      for m, p, _, _ in self.body_routes()])

    def test_wrong_types_for_every_member(self):
        def job(method, path, members, member):
            def run():
                for tname, value in WRONG_TYPES.items():
                    raw = json.dumps(self.plausible(
                        members, **{member: value})).encode()
                    self.check_error(f"{method} {path} {member}={tname}",
                                     self.send(method, path, raw),
                                     {400}, {"wrong_type"}, member)
                # null is "absent": missing_field when required, else
                # the request goes on; never a 5xx either way.  (Not with
                # the live handle: the body could be complete.)
                raw = json.dumps({**{m: self.plausible_values[m]
                                     for m in members},
                                  member: None}).encode()
                status, _, body, payload = self.send(method, path, raw)
                self.assertLess(status, 500, f"{member}=null: {payload!r}")
                if status >= 400 and body["error"]["code"] == "missing_field":
                    self.assertEqual(body["error"]["field"], member)
            return run
        self.run_all([(f"{m} {p} {x}", job(m, p, members, x))
                      for m, p, members, _ in self.body_routes()
                      for x in members])

    def test_missing_and_extra_members(self):
        def job(method, path, members):
            def run():
                if members and method == "POST":
                    err = self.check_error(f"{method} {path} {{}}",
                                           self.send(method, path, b"{}"))
                    # Some documented member is named as missing or bad.
                    self.assertIn(err["field"], members + [None], err)
                raw = json.dumps(self.plausible(
                    members, zzz_extra=1)).encode()
                self.check_error(f"{method} {path} extra",
                                 self.send(method, path, raw),
                                 {400}, {"unknown_field"}, "zzz_extra")
                # A member given twice is ambiguous.
                if members:
                    m0 = members[0]
                    raw = json.dumps(self.plausible(members))[:-1].encode() \
                        + b', "' + m0.encode() + b'": "x"}'
                    self.check_error(f"{method} {path} twice",
                                     self.send(method, path, raw),
                                     {400}, {"malformed_json"})
            return run
        self.run_all([(f"{m} {p}", job(m, p, members))
                      for m, p, members, _ in self.body_routes()])

    def test_bad_strings_in_every_member(self):
        def job(method, path, members, member):
            def run():
                base = json.dumps(self.plausible(members, **{member: "@@"}))
                # Bad UTF-8 inside the member's string.
                for bad in (b"\xff", b"\xc3\x28", b"\xed\xa0\x80",
                            b"\xf4\x90\x80\x80", b"\xc0\xaf"):
                    raw = base.replace('"@@"', '"a@@b"').encode().replace(
                        b"@@", bad)
                    self.check_error(f"{method} {path} {member} {bad!r}",
                                     self.send(method, path, raw),
                                     {400}, {"invalid_encoding"})
                # NUL, raw and escaped.
                for nul in (b"\\u0000", b"a\\u0000b", b"\x00"):
                    raw = base.encode().replace(b"@@", nul)
                    self.check_error(f"{method} {path} {member} NUL",
                                     self.send(method, path, raw),
                                     {400}, {"malformed_json"})
                # Lone surrogates are not text.
                raw = base.encode().replace(b"@@", b"\\ud800x")
                self.check_error(f"{method} {path} {member} surrogate",
                                 self.send(method, path, raw), {400, 422})
                # 10 000 characters, ASCII and not.
                for ch in ("a", "あ", "9"):
                    raw = json.dumps(self.plausible(
                        members, **{member: ch * 10000})).encode()
                    self.check_error(f"{method} {path} {member} long {ch}",
                                     self.send(method, path, raw),
                                     {400, 401, 403, 404, 409, 410, 413,
                                      422, 423})
                # Nested arrays: within the depth limit a wrong type,
                # past it not JSON we read.
                raw = base.replace('"@@"', "[" * 40 + "]" * 40).encode()
                self.check_error(f"{method} {path} {member} nested",
                                 self.send(method, path, raw),
                                 {400}, {"wrong_type"}, member)
                raw = base.replace('"@@"', "[" * 5000 + "]" * 5000).encode()
                self.check_error(f"{method} {path} {member} deep",
                                 self.send(method, path, raw),
                                 {400}, {"malformed_json"})
            return run
        self.run_all([(f"{m} {p} {x}", job(m, p, members, x))
                      for m, p, members, _ in self.body_routes()
                      for x in members])

    @before_the_database("request parsing")
    def test_deep_nesting_whole_body(self):
        for m, p, _, _ in self.body_routes():
            for depth in (65, 100000):
                raw = b'{"a":' * depth + b"1" + b"}" * depth
                self.check_error(f"{m} {p} depth {depth}",
                                 self.send(m, p, raw), {400, 413},
                                 {"malformed_json", "body_too_large"})
                raw = b"[" * depth + b"]" * depth
                self.check_error(f"{m} {p} array depth {depth}",
                                 self.send(m, p, raw), {400, 413},
                                 {"malformed_json", "body_too_large"})
        self.assert_alive()

    @before_the_database("request parsing")
    def test_wrong_content_type(self):
        for m, p, members, _ in self.body_routes():
            raw = json.dumps(self.plausible(members)).encode()
            for ct in ("text/plain", "application/x-www-form-urlencoded",
                       "application/jsonx", "multipart/form-data; b=x"):
                self.check_error(f"{m} {p} {ct}",
                                 self.send(m, p, raw, {"Content-Type": ct}),
                                 {415}, {"unsupported_media_type"}, None)
        self.assert_alive()



class ProtocolTests:
    """What does not depend on the profile: bodies too large, headers,
    paths, methods, query arguments and raw-socket abuse."""
    def test_doc_lists_every_endpoint(self):
        self.assertGreaterEqual(len(self.documented), 20,
                                [(m, p) for m, p, _, _ in self.documented])
        found = {(m, p) for m, p, _, _ in self.documented}
        self.assertIn(("POST", "/api/v1/session"), found)
        self.assertIn(("POST", "/api/v1/registrations/complete"), found)
        members = {(m, p): mem for m, p, mem, _ in self.documented}
        self.assertEqual(members[("POST", "/api/v1/session")],
                         ["user_id", "password", "lang"])
        self.assertIn("gender",
                      members[("POST", "/api/v1/registrations/complete")])

    def test_every_documented_route_is_served(self):
        # Until the other areas land this lists what is not yet served.
        if self.missing:
            self.skipTest("not served yet: " + ", ".join(
                f"{m} {p}" for m, p, _, _ in self.missing))

    # -- bodies too large ---------------------------------------------------

    @before_the_database("request parsing")
    def test_oversized_body_with_length(self):
        for m, p, _, _ in self.body_routes():
            raw = b'{"a":"' + b"x" * 70000 + b'"}'
            err = self.check_error(f"{m} {p} 70000", self.send(m, p, raw),
                                   {413}, {"body_too_large"}, None)
            self.assertEqual(err["params"].get("max"), 65536)
        self.assert_alive()

    def raw_tls(self):
        """A TLS socket to the service, verified."""
        s = socket.create_connection(("127.0.0.1", self.svc.port),
                                     timeout=TIMEOUT)
        return self.svc.ctx.wrap_socket(s, server_hostname="127.0.0.1")

    def read_reply(self, s):
        """Status and body of the reply on s, or None when the service
        closed the connection without one."""
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                head, sep, rest = data.partition(b"\r\n\r\n")
                if sep:
                    m = re.search(rb"content-length:\s*(\d+)", head, re.I)
                    if m and len(rest) >= int(m.group(1)):
                        break
        except (ConnectionError, ssl.SSLError):
            pass
        if not data:
            return None
        head, _, rest = data.partition(b"\r\n\r\n")
        return int(head.split(b" ")[1]), head, rest

    @before_the_database("request parsing")
    def test_oversized_body_chunked(self):
        path = "/api/v1/session"
        for size, chunk in ((70000, 8192), (2 * 1024 * 1024, 65536)):
            s = self.raw_tls()
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n".encode())
            sent = 0
            try:
                while sent < size:
                    s.sendall(b"%x\r\n" % chunk + b"x" * chunk + b"\r\n")
                    sent += chunk
                s.sendall(b"0\r\n\r\n")
            except (ConnectionError, ssl.SSLError):
                pass  # past 1 MiB the service may close mid-body
            got = self.read_reply(s)
            s.close()
            if size < 1024 * 1024:
                self.assertIsNotNone(got, "no answer to a chunked 70000")
                status, _, body = got
                self.assertEqual(status, 413)
                self.assertEqual(json.loads(body)["error"]["code"],
                                 "body_too_large")
            elif got is not None:
                self.assertEqual(got[0], 413)
        # Declared lengths far past anything: answered at once, by us or
        # (a length past 64 bits) by libmicrohttpd itself, without JSON.
        for cl in ("1099511627776", "99999999999999999999999"):
            s = self.raw_tls()
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      f"application/json\r\nContent-Length: {cl}\r\n\r\n{{"
                      .encode())
            got = self.read_reply(s)
            s.close()
            self.assertIsNotNone(got, cl)
            self.assertIn(got[0], (400, 413), got)
            if cl == "1099511627776":
                self.assertEqual(got[0], 413)
                self.assertEqual(json.loads(got[2])["error"]["code"],
                                 "body_too_large")
        self.assert_alive()

    @before_the_database("request parsing")
    def test_huge_header(self):
        for size in (20000, 40000, 200000):
            s = self.raw_tls()
            try:
                s.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\n"
                          b"X-Big: " + b"a" * size + b"\r\n\r\n")
            except (ConnectionError, ssl.SSLError):
                pass
            got = self.read_reply(s)
            s.close()
            # Past libmicrohttpd's buffer it answers 431 itself (no
            # JSON), or closes; well below, the request is served.
            if size < 32768:
                self.assertIsNotNone(got)
                self.assertIn(got[0], (200, 431))
            elif got is not None:
                self.assertEqual(got[0], 431, got[:2])
        # Through http.client too, many headers each of moderate size.
        hdrs = {f"X-H{i}": "v" * 500 for i in range(60)}
        try:
            status = self.send("GET", "/api/v1/info", headers=hdrs)[0]
            self.assertIn(status, (200, 431))
        except (ConnectionError, http.client.HTTPException):
            self.local.client = Client(self.svc)
        self.assert_alive()

    # -- paths, methods, query --------------------------------------------

    def test_absurd_query_arguments(self):
        paged = [p for m, p, _, s in self.routes if m == "GET" and
                 re.search(r"\bpage\b", s + p)]
        args = {"page=-1": "page", "page=0": "page",
                "page=99999999999999999999": "page",
                "page=1e3": "page", "page=%00": "page", "page=": "page",
                "per_page=abc": "per_page", "per_page=-5": "per_page",
                "per_page=100000": "per_page", "per_page=0": "per_page"}
        for p in paged:
            for q, field in args.items():
                status, _, body, payload = self.send("GET",
                                                     f"{concrete(p)}?{q}")
                self.assertLess(status, 500, f"{p}?{q}: {payload!r}")
                if status == 200:
                    # Only a page past the end may be answered, empty.
                    self.assertEqual(q, "page=99999999999999999999")
                    self.assertEqual(body["items"], [], body)
                    continue
                err = self.check_error(f"{p}?{q}", (status, None, body,
                                                    payload))
                if err["code"] not in ("not_available", "unauthorized"):
                    self.assertEqual(err["code"], "bad_format", f"{p}?{q}")
                    self.assertEqual(err["field"], field, f"{p}?{q}")
        # Every GET ignores or refuses absurd arguments, never fails.
        for m, p, _, _ in self.routes:
            if m != "GET":
                continue
            for q in ("page=-1&per_page=abc&page=2", "x=%ff%fe", "=&&=",
                      "a=" + "b" * 3000):
                status = self.send("GET", f"{concrete(p)}?{q}")[0]
                self.assertLess(status, 500, f"{p}?{q}")
        self.assert_alive()

    @before_the_database("request parsing")
    def test_unknown_paths(self):
        for path in ("/", "/api", "/api/v1", "/api/v1/", "/api/v2/info",
                     "/api/v1/info/", "/api/v1//info", "/API/V1/INFO",
                     "/api/v1/info/x", "/api/v1/nothing", "/api/v1/notices/",
                     "/api/v1/notices/a/b", "/api/v1/me/receipts//register",
                     "/api/v1/%00", "/../etc/passwd",
                     "/api/v1/notices/%2e%2e%2f%2e%2e", "/api/v1/info;x",
                     "/api/v1/" + "a" * 3000, "/api/v1/%E3%81%82",
                     "/api/v1/notices/%FF%FE"):
            for method in ("GET", "POST"):
                result = self.send(method, path, b"{}" if method == "POST"
                                   else None)
                self.check_error(f"{method} {path[:60]}", result,
                                 {404}, {"not_found"}, None)
        self.assert_alive()

    @before_the_database("request parsing")
    def test_unknown_methods(self):
        methods = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
                   "TRACE", "HEAD", "FROB")
        allowed = {}
        for m, p, _, _ in self.routes:  # what the service has now
            allowed.setdefault(p, set()).add(m)
        for p, ok in allowed.items():
            for method in methods:
                if method in ok:
                    continue
                status, hdrs, body, payload = self.send(method, concrete(p))
                if method == "HEAD":
                    self.assertEqual(status, 405, p)
                    self.assertEqual(payload, b"")
                else:
                    self.check_error(f"{method} {p}",
                                     (status, hdrs, body, payload),
                                     {405}, {"method_not_allowed"}, None)
                allow = {x.strip() for x in hdrs["Allow"].split(",")}
                self.assertEqual(allow, ok, f"{method} {p}")
        self.assert_alive()

    # -- raw sockets ----------------------------------------------------

    @before_the_database("request parsing")
    def test_garbage_after_tls_handshake(self):
        # libmicrohttpd answers what is not HTTP with its own 400 (HTML),
        # an unknown HTTP version with 505, or waits for the rest of a
        # request line (an idle connection, closed after 30 s).
        for junk in (b"\x00\xff\xfe garbage\r\n\r\n", b"GET\r\n\r\n",
                     b"GET / HTTP/9.9\r\n\r\n", b"\r\n" * 1000,
                     b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Length: -5\r\n\r\n",
                     b"GET /api/v1/info HTTP/1.1\r\nBad Header\r\n\r\n",
                     bytes(range(256)) * 8):
            s = self.raw_tls()
            s.settimeout(3)
            try:
                s.sendall(junk)
                got = self.read_reply(s)
            except (ConnectionError, ssl.SSLError, socket.timeout):
                got = None
            s.close()
            if got is not None:
                ok = (505,) if b"HTTP/9.9" in junk else ()
                self.assertTrue(400 <= got[0] < 500 or got[0] in ok,
                                (junk[:20], got[:2]))
        # Not TLS at all.
        for junk in (b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"\x16\x03\x01\x00\x05hello", os.urandom(4096)):
            with socket.create_connection(("127.0.0.1", self.svc.port),
                                          timeout=TIMEOUT) as s:
                try:
                    s.sendall(junk)
                    s.recv(4096)
                except (ConnectionError, socket.timeout):
                    pass
        self.assert_alive()

    @before_the_database("request parsing")
    def test_half_sent_requests(self):
        for part in (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"user",
                     b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n10\r\n{\"us",
                     b"GET /api/v1/in", b"P"):
            s = self.raw_tls()
            s.sendall(part)
            s.close()
        self.assert_alive()

    @before_the_database("request parsing")
    def test_idle_connections_do_not_block_others(self):
        idle = []
        try:
            for _ in range(20):
                # Plain TCP that never says anything, and TLS that stops
                # after half a header.
                idle.append(socket.create_connection(
                    ("127.0.0.1", self.svc.port), timeout=TIMEOUT))
                s = self.raw_tls()
                s.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\nX-")
                idle.append(s)
            start = time.monotonic()
            for _ in range(5):
                self.assert_alive()
            self.assertLess(time.monotonic() - start, 10)
        finally:
            for s in idle:
                s.close()

    @before_the_database("request parsing")
    def test_200_connections_at_once(self):
        barrier = threading.Barrier(200, timeout=30)

        def one(_):
            try:
                s = socket.create_connection(("127.0.0.1", self.svc.port),
                                             timeout=TIMEOUT)
            except OSError:
                barrier.wait()
                return "refused"
            try:
                barrier.wait()
                t = self.svc.ctx.wrap_socket(s, server_hostname="127.0.0.1")
                t.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")
                got = self.read_reply(t)
                t.close()
                return got[0] if got else "closed"
            except (OSError, ssl.SSLError):
                return "closed"
            finally:
                s.close()
        with concurrent.futures.ThreadPoolExecutor(200) as pool:
            results = list(pool.map(one, range(200), timeout=90))
        # Past the connection limit the service may refuse or close;
        # whatever it answers is a success, and most are answered.
        answered = [r for r in results if isinstance(r, int)]
        self.assertTrue(all(r == 200 for r in answered), results)
        self.assertGreaterEqual(len(answered), 50, results)
        self.assert_alive()



class LgposBadInputTest(BodyTests, ProtocolTests, unittest.TestCase):
    CONFIG = []


class ImmigrationBadInputTest(BodyTests, unittest.TestCase):
    """What only the immigration profile offers or takes."""
    CONFIG = ["profile = immigration"]
    OVERRIDES = {"type": "foreign_national"}
    ONLY = ("/recovery/user-id", "/registrations/complete", "PATCH /api/v1/me",
            "/receipts")


class OssBadInputTest(BodyTests, unittest.TestCase):
    """What only the oss profile offers or takes."""
    CONFIG = ["profile = oss"]
    ONLY = ("bulk-password", "PATCH /api/v1/me", "/recovery/password")


if __name__ == "__main__":
    unittest.main(verbosity=2)
