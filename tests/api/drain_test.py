"""A graceful stop (docs/api.md "Several instances"): on SIGTERM the
service accepts no new connection, closes idle ones, answers the requests
in flight (each answer closes its connection) and exits once they are
answered, within drain_timeout; GET /api/v1/health answers 200 while the
database does."""

import json
import os
import signal
import socket
import ssl
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from service import Service, read_response  # noqa: E402

PASSWORD = "Madoguchi2025"
USER = "drain@example.jp"
TIMEOUT = 30


def closed(sock, wait):
    """True if the peer closes within `wait` seconds."""
    sock.settimeout(wait)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except (ConnectionError, ssl.SSLError):
        return True


class HealthTest(unittest.TestCase):
    def test_health(self):
        svc = Service()
        try:
            for _ in range(3):
                status, headers, body = svc.request("GET", "/api/v1/health")
                self.assertEqual(status, 200, body)
                self.assertEqual(body, {"status": "ok"})
                self.assertEqual(headers["Cache-Control"], "no-store")
        finally:
            self.assertEqual(svc.stop(), 0)
            svc.cleanup()


class DrainTest(unittest.TestCase):
    DRAIN = 30

    def tls(self, svc):
        s = socket.create_connection(("127.0.0.1", svc.port),
                                     timeout=TIMEOUT)
        return svc.ctx.wrap_socket(s, server_hostname="127.0.0.1")

    def test_sigterm_finishes_requests_in_flight(self):
        svc = Service([f"drain_timeout = {self.DRAIN}"])
        try:
            self.assertEqual(svc.add_user(USER, "Drain", PASSWORD).returncode,
                             0)
            # An idle kept-alive connection, and a log-in half sent.
            idle = self.tls(svc)
            idle.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_response(idle)[0], 200)
            body = json.dumps({"user_id": USER,
                               "password": PASSWORD}).encode()
            busy = self.tls(svc)
            busy.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() +
                         b"\r\n\r\n" + body[:10])
            time.sleep(0.3)
            svc.proc.send_signal(signal.SIGTERM)
            # The idle connection is closed promptly...
            self.assertTrue(closed(idle, 10), "idle connection kept")
            # ...no new connection is accepted...
            deadline = time.monotonic() + 10
            while True:
                try:
                    s = socket.create_connection(("127.0.0.1", svc.port),
                                                 timeout=2)
                    s.close()
                except OSError:
                    break
                self.assertLess(time.monotonic(), deadline,
                                "still accepting connections")
                time.sleep(0.1)
            # ...while the request in flight is answered, and closes.
            self.assertIsNone(svc.proc.poll(), "exited with a request "
                              "in flight")
            busy.sendall(body[10:])
            status, headers, _ = read_response(busy)
            answered = time.monotonic()
            self.assertEqual(status, 201)
            self.assertEqual(headers.get("connection"), "close")
            # Then it exits, without waiting for the whole drain time.
            code = svc.proc.wait(timeout=self.DRAIN)
            self.assertEqual(code, 0)
            self.assertLess(time.monotonic() - answered, self.DRAIN / 3)
            self.assertIn("every request answered", svc.read_log())
            idle.close()
            busy.close()
        finally:
            svc.stop()
            svc.cleanup()

    def test_drain_is_bounded(self):
        svc = Service(["drain_timeout = 2", "request_timeout = 600"])
        try:
            # A request that never completes cannot hold the stop.
            stuck = self.tls(svc)
            stuck.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\n"
                          b"Content-Length: 100\r\n\r\n{")
            time.sleep(0.3)
            start = time.monotonic()
            svc.proc.send_signal(signal.SIGTERM)
            self.assertEqual(svc.proc.wait(timeout=60), 0)
            # Bounded by drain_timeout, not by request_timeout.
            self.assertLess(time.monotonic() - start, 60)
            self.assertIn("still open after 2 s", svc.read_log())
            stuck.close()
        finally:
            svc.stop()
            svc.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
