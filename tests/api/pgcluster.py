"""A scratch PostgreSQL cluster for tests: initdb in a temporary
directory, run as an unprivileged user (the `postgres` system user when
the tests run as root, as PostgreSQL refuses root), listening on a Unix
socket only, and removed when the test process ends."""

import atexit
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import time

PG_BINDIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


def pg_bin(name):
    """The PostgreSQL server program `name` (initdb, pg_ctl, psql)."""
    for d in PG_BINDIRS:
        path = os.path.join(d, name)
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if found:
        return found
    raise RuntimeError(f"PostgreSQL's {name} not found (Debian package "
                       "postgresql-15)")


def available():
    try:
        pg_bin("initdb")
        pg_bin("pg_ctl")
        return True
    except RuntimeError:
        return False


class Cluster:
    """One cluster; databases made on demand by database()."""

    def __init__(self, durable=False):
        """durable: fsync on, as a real server runs (the benchmark);
        tests run with it off."""
        self.durable = durable
        self.dir = tempfile.mkdtemp(prefix="madoguchi-pg.")
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "sock")
        os.mkdir(self.sock)
        self.run_as = None
        if os.geteuid() == 0:
            self.run_as = pwd.getpwnam("postgres")
            os.chown(self.dir, self.run_as.pw_uid, self.run_as.pw_gid)
            os.chown(self.sock, self.run_as.pw_uid, self.run_as.pw_gid)
            os.chmod(self.dir, 0o755)
        self.user = self.run_as.pw_name if self.run_as else \
            pwd.getpwuid(os.geteuid()).pw_name
        self.count = 0
        self.lock = threading.Lock()
        template = os.environ.get("MADOGUCHI_PG_TEMPLATE")
        if template:
            self._from_template(template)
        else:
            self._initdb(self.data)
        self.start()
        atexit.register(self.destroy)

    def _initdb(self, data):
        # --no-sync: a scratch cluster need not reach the disk.
        self._run([pg_bin("initdb"), "-D", data, "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8", "-U", self.user,
                   "--no-sync", "--no-instructions"])

    def _from_template(self, template):
        """A copy of one initdb made once for the whole test run (each
        test process starts a cluster: a copy takes a tenth of the time
        initdb does).  Made by the first process that needs it, under a
        lock, in the directory MADOGUCHI_PG_TEMPLATE names."""
        import fcntl
        os.makedirs(template, exist_ok=True)
        data = os.path.join(template, "data")
        with open(os.path.join(template, "lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not os.path.exists(os.path.join(data, "PG_VERSION")):
                # initdb in this cluster's own scratch directory (the
                # postgres user may not reach the build tree), then a
                # copy into place, renamed so that it appears whole.
                self._initdb(self.data)
                subprocess.run(["cp", "-a", self.data, data + ".new"],
                               check=True)
                os.rename(data + ".new", data)
                return
        subprocess.run(["cp", "-a", data, self.data], check=True)

    def _run(self, argv, check=True, **kw):
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.STDOUT)
        if self.run_as is not None:
            uid, gid = self.run_as.pw_uid, self.run_as.pw_gid

            def demote():
                os.setgid(gid)
                os.setuid(uid)
            kw["preexec_fn"] = demote
            kw["cwd"] = self.dir
        r = subprocess.run(argv, text=True, **kw)
        if check and r.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {r.stdout}")
        return r

    def start(self):
        # No TCP, a socket in the scratch directory; fsync off: these
        # are tests of the service, not of PostgreSQL's durability.
        opts = (f"-c listen_addresses='' -c unix_socket_directories={self.sock}"
                " -c max_connections=300")
        if not self.durable:
            opts += " -c fsync=off -c full_page_writes=off"
        self._run([pg_bin("pg_ctl"), "-D", self.data, "-w", "-t", "60",
                   "-l", os.path.join(self.dir, "postgres.log"),
                   "-o", opts, "start"])

    def stop(self, mode="fast"):
        self._run([pg_bin("pg_ctl"), "-D", self.data, "-w", "-m", mode,
                   "stop"], check=False)

    def conninfo(self, dbname):
        return f"postgresql:///{dbname}?host={self.sock}&user={self.user}"

    def psql(self, dbname, sql, *args):
        """Run one statement with psql; its rows as lists of strings."""
        argv = [pg_bin("psql"), "-X", "-q", "-A", "-t", "-F", "\t",
                "-v", "ON_ERROR_STOP=1", "-d", self.conninfo(dbname)]
        for i, a in enumerate(args):
            argv += ["-v", f"p{i + 1}={a}"]
        r = subprocess.run(argv + ["-c", sql], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql: {r.stderr}")
        return [line.split("\t") for line in r.stdout.splitlines()]

    def new_database(self):
        """A new, empty database; its name."""
        with self.lock:
            self.count += 1
            name = f"t{os.getpid()}_{self.count}"
        self.psql("postgres", f"CREATE DATABASE {name}")
        return name

    def database(self):
        """A new, empty database; its connection string."""
        return self.conninfo(self.new_database())

    def query(self, dbname, sql, params=()):
        """Run one statement of `sql` with `?` placeholders bound to
        params (int, str, bytes or None), as Python's sqlite3 would: the
        rows it returns (a SELECT, or RETURNING) as tuples of int, str,
        bytes (bytea), bool or None; [] for the others.  Values reach
        psql as variables (-v), quoted by psql, never pasted in."""
        argv = [pg_bin("psql"), "-X", "-q", "-A", "-t", "-F", "\x1f",
                "-v", "ON_ERROR_STOP=1", "-d", self.conninfo(dbname)]
        params = list(params)
        pieces, n = [], 0
        for token in re.split(r"('(?:[^']|'')*'|\?)", sql):
            if token != "?":
                pieces.append(token)
                continue
            value = params[n]
            n += 1
            if value is None:
                pieces.append("NULL")
            elif isinstance(value, bool) or isinstance(value, int):
                argv += ["-v", f"p{n}={int(value)}"]
                pieces.append(f"CAST(:'p{n}' AS BIGINT)")
            elif isinstance(value, (bytes, bytearray)):
                argv += ["-v", f"p{n}={bytes(value).hex()}"]
                pieces.append(f"decode(:'p{n}', 'hex')")
            else:
                argv += ["-v", f"p{n}={value}"]
                pieces.append(f"CAST(:'p{n}' AS TEXT)")
        if n != len(params):
            raise ValueError(f"{len(params)} values for {n} placeholders")
        stmt = "".join(pieces).strip().rstrip(";")
        rows = re.match(r"(?is)\s*(SELECT|WITH|VALUES)\b", stmt) or \
            re.search(r"(?i)\bRETURNING\b", stmt)
        if rows:
            script = (f"{stmt} \\gdesc\n\\echo =rows=\n"
                      f"WITH q AS ({stmt}) SELECT json_agg(q) FROM q;\n")
        else:
            script = stmt + ";\n"
        r = subprocess.run(argv, input=script, capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql: {r.stderr}")
        if not rows:
            return []
        desc, _, data = r.stdout.partition("=rows=\n")
        types = [line.split("\x1f")[1] for line in desc.splitlines()
                 if line]
        data = data.strip()
        if data == "":
            return []
        out = []
        for obj in json.loads(data, object_pairs_hook=list):
            row = []
            for (_, v), t in zip(obj, types):
                if t == "bytea" and v is not None:
                    v = bytes.fromhex(v[2:])
                row.append(v)
            out.append(tuple(row))
        return out

    def script(self, dbname, sql):
        """Run several statements without values, in one transaction."""
        r = subprocess.run(
            [pg_bin("psql"), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1",
             "-d", self.conninfo(dbname)], input=sql, capture_output=True,
            text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql: {r.stderr}")

    def destroy(self):
        if os.path.isdir(self.dir):
            self.stop("immediate")
            shutil.rmtree(self.dir, ignore_errors=True)


_shared = None
_shared_lock = threading.Lock()


def shared():
    """The test process's one cluster, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Cluster()
        return _shared


if __name__ == "__main__":
    c = Cluster()
    t = time.monotonic()
    print(c.database(), time.monotonic() - t)
    print(c.psql("postgres", "SELECT version()"))
    c.destroy()
