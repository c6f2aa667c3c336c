"""The generated local CA and the data directory (docs/api.md "TLS
certificates and the data directory"): the CA is limited by
nameConstraints to localhost, 127.0.0.1 and ::1; its private key is not
kept unless keep_ca_key asks, and a certificate for another host signed
with a kept key is refused by clients that trust ca.pem; a server
certificate that ends within 30 days is renewed at start; a data
directory open to other users is made 0700, or refused when it is not
the service user's.  Certificates are read, made and verified with the
openssl command, as an administrator would."""

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

# The certificates are files of the data directory, and this test starts
# its services on the default SQLite file whatever the engine: its
# PostgreSQL run would repeat the same.
if os.environ.get("MADOGUCHI_DB") == "postgresql":
    print("SKIP: certificates and the data directory are the same on every "
          "engine")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(__file__))


def openssl(*args, check=True):
    """Run the openssl command; return the completed process."""
    r = subprocess.run(["openssl", *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)}: {r.stderr}")
    return r


def not_after(pem):
    """A certificate's expiry as an aware datetime."""
    out = openssl("x509", "-in", pem, "-noout", "-enddate").stdout
    when = out.strip().split("=", 1)[1]
    return datetime.strptime(when, "%b %d %H:%M:%S %Y %Z").replace(
        tzinfo=timezone.utc)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def mint(work, name, ca, ca_key, days, sans):
    """A certificate and key for `name`, signed with ca_key for `days`
    days; returns (cert, key) paths."""
    key = os.path.join(work, name + "-key.pem")
    csr = os.path.join(work, name + ".csr")
    crt = os.path.join(work, name + ".pem")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
            "-subj", "/CN=" + name, "-addext", "subjectAltName=" + sans,
            "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
            "-set_serial", str(int(time.time() * 1000)), "-days", str(days),
            "-copy_extensions", "copy", "-out", crt)
    return crt, key


def handshake(cert, key, cafile, hostname):
    """Serve one TLS handshake with cert on a loopback port and connect to
    it as a client trusting cafile, asking for hostname; None when the
    client accepts the certificate, else the client's error."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve():
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True):
                pass
        except (ssl.SSLError, OSError):
            pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    client_ctx = ssl.create_default_context(cafile=cafile)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            with client_ctx.wrap_socket(s, server_hostname=hostname):
                return None
    except ssl.SSLError as e:
        return e
    finally:
        t.join(10)
        listener.close()


class DataDirService:
    """A madoguchid on a data directory the test chose, restartable with
    other settings; its configuration and log live beside the directory."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.home = tempfile.mkdtemp(prefix="madoguchid-tls.")
        self.conf = os.path.join(self.home, "madoguchid.conf")
        self.log_path = os.path.join(self.home, "service.log")
        self.port_file = os.path.join(self.home, "port")
        self.proc = None

    def write_conf(self, lines=()):
        with open(self.conf, "w") as f:
            f.write(f"data_dir = {self.data_dir}\nport = 0\n"
                    f"port_file = {self.port_file}\n")
            for line in lines:
                f.write(line + "\n")

    def start(self, lines=()):
        """Start; the log lines written by this start are returned."""
        self.write_conf(lines)
        before = os.path.getsize(self.log_path) \
            if os.path.exists(self.log_path) else 0
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                [os.environ["MADOGUCHID"], "--config", self.conf],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("madoguchid exited: " + self.log())
            if time.monotonic() > deadline:
                raise RuntimeError("madoguchid did not start")
            time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read().strip())
        return self.log()[before:]

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def info(self, host="127.0.0.1"):
        """GET /api/v1/info verified against the directory's ca.pem."""
        ctx = ssl.create_default_context(
            cafile=os.path.join(self.data_dir, "ca.pem"))
        conn = http.client.HTTPSConnection(host, self.port, context=ctx,
                                           timeout=30)
        conn.request("GET", "/api/v1/info")
        resp = conn.getresponse()
        body = json.loads(resp.read())
        conn.close()
        return resp.status, body

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def path(self, name):
        return os.path.join(self.data_dir, name)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


LOOPBACK_SANS = "DNS:localhost,IP:127.0.0.1,IP:::1"
LOOPBACK_PERMITTED = [
    "DNS:localhost", "IP:127.0.0.1/255.255.255.255",
    "IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"]


class DataDirCase(unittest.TestCase):
    """A scratch directory with a service on DATA inside it (made by the
    service at its first start unless a test makes it first)."""

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="madoguchid-tlswork.")
        self.data = os.path.join(self.work, "data")
        self.svc = DataDirService(self.data)

    def tearDown(self):
        self.svc.cleanup()
        shutil.rmtree(self.work, ignore_errors=True)


class TlsCertTest(DataDirCase):

    def test_ca_is_constrained_and_its_key_not_kept(self):
        log = self.svc.start()
        text = openssl("x509", "-in", self.svc.path("ca.pem"), "-noout",
                       "-ext", "nameConstraints").stdout
        self.assertIn("Name Constraints: critical", text)
        permitted = [line.strip() for line in text.splitlines()[2:]]
        self.assertEqual(permitted, LOOPBACK_PERMITTED, text)
        self.assertIn("Permitted:", text)
        self.assertFalse(os.path.exists(self.svc.path("ca-key.pem")), log)
        self.assertEqual([n for n in os.listdir(self.svc.data_dir)
                          if "key" in n], ["server-key.pem"])
        self.assertNotIn("keep_ca_key", log)
        # Clients trusting ca.pem reach the service by each of its names.
        self.assertEqual(self.svc.info()[0], 200)
        self.assertEqual(self.svc.info("localhost")[0], 200)
        r = openssl("verify", "-CAfile", self.svc.path("ca.pem"),
                    self.svc.path("server.pem"))
        self.assertIn("OK", r.stdout)
        # A restart keeps the set that is still good: clients keep
        # trusting the same ca.pem.
        files = {n: read(self.svc.path(n)) for n in
                 ("ca.pem", "server.pem", "server-key.pem")}
        self.svc.stop()
        log = self.svc.start()
        for name, data in files.items():
            self.assertEqual(read(self.svc.path(name)), data, log)
        self.assertNotIn("local CA", log)

    def test_kept_key_cannot_vouch_for_other_hosts(self):
        log = self.svc.start(["keep_ca_key = 1"])
        ca, ca_key = self.svc.path("ca.pem"), self.svc.path("ca-key.pem")
        self.assertTrue(os.path.exists(ca_key))
        self.assertEqual(os.stat(ca_key).st_mode & 0o777, 0o600)
        self.assertIn("warning: keep_ca_key is set", log)
        # Warned again at every start, not only when the key is made.
        self.svc.stop()
        log = self.svc.start(["keep_ca_key = 1"])
        self.assertIn("warning: keep_ca_key is set", log)

        # Whoever reads the key can still make certificates, but clients
        # accept them only for the CA's own names.
        own = mint(self.work, "localhost", ca, ca_key, 30, LOOPBACK_SANS)
        self.assertIsNone(handshake(*own, ca, "localhost"))
        evil = mint(self.work, "evil.example", ca, ca_key, 30,
                    "DNS:evil.example")
        err = handshake(*evil, ca, "evil.example")
        self.assertIsInstance(err, ssl.SSLCertVerificationError)
        r = openssl("verify", "-CAfile", ca, evil[0], check=False)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("permitted subtree violation", r.stdout + r.stderr)
        addr = mint(self.work, "10.1.2.3", ca, ca_key, 30, "IP:10.1.2.3")
        r = openssl("verify", "-CAfile", ca, addr[0], check=False)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        # The service's own certificate verifies.
        r = openssl("verify", "-CAfile", ca, self.svc.path("server.pem"))
        self.assertIn("OK", r.stdout)
        self.assertEqual(self.svc.info()[0], 200)

    def replace_server_cert(self, days):
        """Put a server certificate of `days` days, signed by the kept CA,
        in place of the service's."""
        crt, key = mint(self.work, f"server-{days}", self.svc.path("ca.pem"),
                        self.svc.path("ca-key.pem"), days, LOOPBACK_SANS)
        shutil.copy(crt, self.svc.path("server.pem"))
        shutil.copy(key, self.svc.path("server-key.pem"))

    def test_renewed_at_start_by_the_kept_ca(self):
        self.svc.start(["keep_ca_key = 1"])
        self.svc.stop()
        ca_before = read(self.svc.path("ca.pem"))
        now = datetime.now(timezone.utc)

        # 60 days left: kept as it is.
        self.replace_server_cert(60)
        kept = read(self.svc.path("server.pem"))
        log = self.svc.start(["keep_ca_key = 1"])
        self.assertEqual(read(self.svc.path("server.pem")), kept, log)
        self.assertEqual(self.svc.info()[0], 200)
        self.svc.stop()

        # 10 days left: renewed by the same CA, for the full term.
        self.replace_server_cert(10)
        self.assertLess(not_after(self.svc.path("server.pem")),
                        now + timedelta(days=11))
        log = self.svc.start(["keep_ca_key = 1"])
        self.assertIn("renewed the server certificate", log)
        self.assertGreater(not_after(self.svc.path("server.pem")),
                           now + timedelta(days=800))
        self.assertEqual(read(self.svc.path("ca.pem")), ca_before)
        self.assertEqual(self.svc.info()[0], 200)

    def test_renewed_at_start_with_a_new_ca_when_no_key_is_kept(self):
        self.svc.start(["keep_ca_key = 1"])
        self.svc.stop()
        old_ca = os.path.join(self.work, "old-ca.pem")
        shutil.copy(self.svc.path("ca.pem"), old_ca)
        self.replace_server_cert(10)
        now = datetime.now(timezone.utc)

        log = self.svc.start()
        # The key kept before is wiped and deleted, and said so.
        self.assertFalse(os.path.exists(self.svc.path("ca-key.pem")), log)
        self.assertIn("deleted " + os.path.realpath(
            self.svc.path("ca-key.pem")), log)
        self.assertNotEqual(read(self.svc.path("ca.pem")), read(old_ca))
        self.assertIn("clients must now trust the new " + os.path.realpath(
            self.svc.path("ca.pem")), log)
        self.assertGreater(not_after(self.svc.path("server.pem")),
                           now + timedelta(days=800))
        self.assertEqual(self.svc.info()[0], 200)
        r = openssl("verify", "-CAfile", old_ca, self.svc.path("server.pem"),
                    check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Name Constraints: critical", openssl(
            "x509", "-in", self.svc.path("ca.pem"), "-noout", "-ext",
            "nameConstraints").stdout)


def name_constraints(pem):
    """The permitted names of a CA certificate, as openssl prints them."""
    text = openssl("x509", "-in", pem, "-noout", "-ext",
                   "nameConstraints").stdout
    assert "Name Constraints: critical" in text, text
    return [line.strip() for line in text.splitlines()[2:]]


def alt_names(pem):
    """A certificate's subject alternative names, as openssl prints them."""
    text = openssl("x509", "-in", pem, "-noout", "-ext",
                   "subjectAltName").stdout
    return [n.strip() for n in text.splitlines()[1].split(",")]


def connect_as(port, cafile, hostname):
    """A TLS handshake with the service on 127.0.0.1:port, asking for
    hostname as a client would that resolved it there; None when the
    client accepts the certificate, else the client's error."""
    ctx = ssl.create_default_context(cafile=cafile)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            with ctx.wrap_socket(s, server_hostname=hostname):
                return None
    except ssl.SSLError as e:
        return e


class TlsNamesTest(DataDirCase):
    """tls_names: a counter network that reaches the service by a name of
    its own gets a generated certificate (and a CA) for that name too."""

    def test_names_in_the_ca_and_the_certificate(self):
        log = self.svc.start(["tls_names = Madoguchi.Example.JP, 192.0.2.10"
                              " localhost"])
        self.assertIn("server certificate for localhost, 127.0.0.1, ::1, "
                      "madoguchi.example.jp, 192.0.2.10", log)
        ca = self.svc.path("ca.pem")
        self.assertEqual(name_constraints(ca), LOOPBACK_PERMITTED + [
            "DNS:madoguchi.example.jp", "IP:192.0.2.10/255.255.255.255"])
        self.assertEqual(alt_names(self.svc.path("server.pem")), [
            "DNS:localhost", "IP Address:127.0.0.1",
            "IP Address:0:0:0:0:0:0:0:1", "DNS:madoguchi.example.jp",
            "IP Address:192.0.2.10"])
        # A client that reaches it by the configured name accepts it; by
        # a name it was not made for, not.
        self.assertIsNone(connect_as(self.svc.port, ca,
                                     "madoguchi.example.jp"))
        self.assertIsNone(connect_as(self.svc.port, ca, "localhost"))
        err = connect_as(self.svc.port, ca, "other.example.jp")
        self.assertIsInstance(err, ssl.SSLCertVerificationError)
        # The same names again (in another spelling and order): nothing
        # is made anew.
        files = {n: read(self.svc.path(n)) for n in
                 ("ca.pem", "server.pem", "server-key.pem")}
        self.svc.stop()
        log = self.svc.start(["tls_names = 192.0.2.10 madoguchi.example.jp"])
        for name, data in files.items():
            self.assertEqual(read(self.svc.path(name)), data, log)

    def test_changed_names_make_a_new_ca_without_a_kept_key(self):
        self.svc.start(["tls_names = madoguchi.example.jp"])
        self.svc.stop()
        old_ca = os.path.join(self.work, "old-ca.pem")
        shutil.copy(self.svc.path("ca.pem"), old_ca)
        log = self.svc.start(["tls_names = counter.example.jp"])
        self.assertIn("tls_names changed", log)
        self.assertIn("clients must now trust the new", log)
        ca = self.svc.path("ca.pem")
        self.assertEqual(name_constraints(ca), LOOPBACK_PERMITTED + [
            "DNS:counter.example.jp"])
        self.assertIsNone(connect_as(self.svc.port, ca, "counter.example.jp"))
        self.assertIsInstance(
            connect_as(self.svc.port, ca, "madoguchi.example.jp"),
            ssl.SSLCertVerificationError)
        self.assertIsInstance(
            connect_as(self.svc.port, old_ca, "counter.example.jp"),
            ssl.SSLCertVerificationError)
        # No names at all: back to the loopback three.
        self.svc.stop()
        self.svc.start()
        self.assertEqual(name_constraints(ca), LOOPBACK_PERMITTED)
        self.assertEqual(self.svc.info()[0], 200)

    def test_kept_ca_reissues_only_for_names_it_may_vouch_for(self):
        names = "tls_names = a.example.jp b.example.jp"
        self.svc.start(["keep_ca_key = 1", names])
        self.svc.stop()
        ca = self.svc.path("ca.pem")
        ca_before = read(ca)
        # Fewer names: the kept CA may vouch for them, and does.
        log = self.svc.start(["keep_ca_key = 1", "tls_names = a.example.jp"])
        self.assertIn("issued a new server certificate", log)
        self.assertEqual(read(ca), ca_before, log)
        self.assertNotIn("DNS:b.example.jp",
                         alt_names(self.svc.path("server.pem")))
        self.assertIsNone(connect_as(self.svc.port, ca, "a.example.jp"))
        self.assertIsInstance(connect_as(self.svc.port, ca, "b.example.jp"),
                              ssl.SSLCertVerificationError)
        self.svc.stop()
        # A name outside its constraints: only a new CA can.
        log = self.svc.start(["keep_ca_key = 1", "tls_names = c.example.jp"])
        self.assertIn("clients must now trust the new", log)
        self.assertNotEqual(read(ca), ca_before)
        self.assertIsNone(connect_as(self.svc.port, ca, "c.example.jp"))

    def test_bad_names_refused(self):
        for bad, why in (("*.example.jp", "no wildcard"),
                         ("-x.example.jp", "neither a host name"),
                         ("a..b", "neither a host name"),
                         ("x" * 64 + ".jp", "neither a host name"),
                         ("192.0.2.300/24", "neither a host name"),
                         (" ".join(f"h{i}.jp" for i in range(17)),
                          "at most 16 names")):
            with self.subTest(bad=bad):
                with self.assertRaises(RuntimeError) as cm:
                    self.svc.start([f"tls_names = {bad}"])
                self.assertIn("tls_names", str(cm.exception))
                self.assertIn(why, str(cm.exception))
                # Refused before anything was made.
                self.assertFalse(os.path.exists(self.svc.path("ca.pem")))


class DataDirTest(DataDirCase):
    def setUp(self):
        super().setUp()
        os.mkdir(self.data)

    def test_open_data_dir_made_private_at_start(self):
        os.chmod(self.data, 0o777)
        log = self.svc.start()
        self.assertEqual(os.stat(self.data).st_mode & 0o7777, 0o700)
        self.assertIn("the data directory was mode 0777", log)
        self.assertIn("made it 0700", log)
        self.assertEqual(self.svc.info()[0], 200)
        # Once private, nothing more is said.
        self.svc.stop()
        log = self.svc.start()
        self.assertNotIn("the data directory was mode", log)

    def test_open_data_dir_made_private_by_admin_commands(self):
        os.chmod(self.data, 0o755)
        self.svc.write_conf()
        r = subprocess.run([os.environ["MADOGUCHID"], "--config",
                            self.svc.conf, "user-list"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.stat(self.data).st_mode & 0o7777, 0o700)
        self.assertIn("the data directory was mode 0755", r.stderr)

    @unittest.skipUnless(os.geteuid() == 0, "needs root to give the "
                         "directory to another user")
    def test_someone_elses_open_data_dir_refused(self):
        os.chown(self.data, 65534, 65534)
        os.chmod(self.data, 0o777)
        with self.assertRaises(RuntimeError) as cm:
            self.svc.start()
        self.assertIn("belongs to user 65534", str(cm.exception))
        self.assertEqual(os.stat(self.data).st_mode & 0o7777, 0o777)
        self.assertEqual(os.listdir(self.data), [])


if __name__ == "__main__":
    unittest.main()
