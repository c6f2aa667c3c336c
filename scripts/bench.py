#!/usr/bin/env python3
"""The benchmark (scripts/bench.sh runs it after setting up): each figure
of madoguchi measured beside an anchor measured in the same run on the
same machine, and their ratio.  The machines are shared and noisy, so
absolute numbers mean little; ratios do.  Prints one line per figure,

    NAME project anchor ratio

then a summary.  Figures (docs: README "Performance"):

 start_instructions   client start -> home drawn -> quit, instructions
                      (callgrind), vs dialog --form with three fields
                      start -> Esc: the whole run from exec to exit,
                      Ctrl-C sent as soon as home is on the screen;
                      whatever the client does before it reads the key
                      (loading libcurl, the first request) counts
 home_ready_instructions  the same whole run, Ctrl-C sent once home is
                      filled in from the service (its name, the notices:
                      libcurl loaded, TLS handshake, two requests), vs
                      the same dialog run
 char_bytes           bytes written to the terminal per character typed
                      in a text field (20 characters), vs dialog --form
 char_instructions    instructions per character typed, vs dialog
 tab_bytes            bytes for one Tab focus move, vs dialog
 language_bytes       bytes for a language switch (F2, choose, Enter),
                      vs a whole 80x24 screen redrawn by dialog
 client_rss_kib       client peak RSS over log-in -> My page -> log-out,
                      vs dialog's over a form
 info_rps_1x32        GET /api/v1/info requests a second over TLS
 info_rps_2x64        keep-alive (wrk, 1 thread 32 connections; 2
                      threads 64), vs nginx serving the same body with
                      one worker and the same certificate; also p50/p99
 login_rps            log-ins a second at 16 concurrent keep-alive
                      clients for 15 s, vs the argon2id ceiling (hashes
                      a second per thread with the service's cost x
                      cores, measured now); p50, p99 and the service's
                      peak RSS
 growth_login         log-ins a second and /info requests a second with
 growth_info          100 000 users and 100 000 live sessions, vs with one
 login_sqlite,        log-ins a second (16 concurrent clients) with one
 login_pg1,           instance on SQLite, one on PostgreSQL, and two on
 login_pg2            one PostgreSQL database behind haproxy, each vs the
                      argon2id ceiling measured in the same run
 handshakes_pause     TLS handshakes in one client session with a 60 s
                      pause between fields, vs 1

--smoke: everything, briefly (make check runs it to prove it still runs;
its numbers mean nothing).  --only NAME[,NAME]: some figures only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The programs and their data: the build tree's, as make check names them
# (an out-of-tree build keeps them apart from the sources), or the tree
# this script is in.
MADOGUCHID = os.environ.get("MADOGUCHID") or os.path.join(TOP, "madoguchid")
MADOGUCHI = os.environ.get("MADOGUCHI") or os.path.join(TOP, "madoguchi")
SCREENS = os.environ.get("SCREENS_DIR") or os.path.join(TOP, "screens")
LOCALEDIR = os.environ.get("MADOGUCHI_LOCALEDIR") or os.path.join(TOP,
                                                                   "locale")
TMUX = shutil.which("tmux") or "tmux"


def log(msg):
    print(f"# {msg}", file=sys.stderr, flush=True)


class Service:
    """A madoguchid on loopback with a scratch data directory."""

    def __init__(self, work, name, lines=(), database=None, cert=None):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o700)
        self.conf = os.path.join(self.dir, "madoguchid.conf")
        with open(self.conf, "w") as f:
            f.write(f"data_dir = {self.dir}\nport = 0\n"
                    f"port_file = {self.dir}/port\n")
            # Rate limits are for people; the benchmark is one client.
            for kind in ("registration", "code", "recovery", "login"):
                f.write(f"rate_{kind}_per_client = 0\n"
                        f"rate_{kind}_per_target = 0\n")
            if database:
                f.write(f"database = {database}\n")
            if cert:
                f.write(f"cert = {cert}/server.pem\n"
                        f"key = {cert}/server-key.pem\n")
            for line in lines:
                f.write(line + "\n")
        self.proc = None
        self.ca_dir = cert or self.dir

    def admin(self, *args, stdin=None):
        return subprocess.run([MADOGUCHID, "--config",
                               self.conf, *args], input=stdin,
                              capture_output=True, text=True, check=True)

    def start(self):
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.log = open(os.path.join(self.dir, "service.log"), "a")
        self.proc = subprocess.Popen(
            [MADOGUCHID, "--config", self.conf],
            stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            if os.path.exists(port_file):
                break
            if self.proc.poll() is not None:
                raise RuntimeError("madoguchid exited: " + self.read_log())
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())
        self.url = f"https://127.0.0.1:{self.port}"
        self.ca = os.path.join(self.ca_dir, "ca.pem")
        return self

    def read_log(self):
        with open(os.path.join(self.dir, "service.log")) as f:
            return f.read()

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Pane:
    """A program in an 80x24 tmux pane of its own server."""

    def __init__(self, work, name, argv, env=None):
        self.sock = os.path.join(work, f"tmux-{name}")
        self.name = name
        full_env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8")
        full_env.update(env or {})
        envs = [f"{k}={v}" for k, v in (env or {}).items()]
        cmd = " ".join(shlex_quote(a) for a in
                       ["env", *envs, *argv]) + \
            f"; echo EXITED $? ; sleep 3600"
        subprocess.run([TMUX, "-S", self.sock, "-f", "/dev/null",
                        "new-session", "-d", "-x", "80", "-y", "24",
                        "-s", name, cmd], check=True, env=full_env)

    def tmux(self, *args, **kw):
        return subprocess.run([TMUX, "-S", self.sock, *args],
                              capture_output=True, text=True, **kw)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait(self, pattern, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.screen()
            if re.search(pattern, s):
                return s
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}: no /{pattern}/ on screen:\n" +
                           self.screen())

    def keys(self, *keys):
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text, pause=0.05):
        for ch in text:
            self.tmux("send-keys", "-t", self.name, "-l", ch)
            time.sleep(pause)

    def escape_until_exit(self, timeout=120):
        """dialog takes Esc once it reads keys (and after its escape
        delay); press it until it has gone."""
        deadline = time.monotonic() + timeout
        while "EXITED" not in self.screen():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: Esc did not end it")
            self.keys("Escape")
            time.sleep(2)

    def record(self, path):
        """Start copying what the program writes to the terminal."""
        self.tmux("pipe-pane", "-O", "-t", self.name, f"cat >> {path}")

    def stop_record(self):
        self.tmux("pipe-pane", "-t", self.name)

    def kill(self):
        self.tmux("kill-server")


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


def client_argv(svc, *extra):
    return [MADOGUCHI, "--server", svc.url, "--cacert",
            svc.ca, "--lang", "en", "--screens",
            SCREENS, *extra]


CLIENT_ENV = {"MADOGUCHI_LOCALEDIR": LOCALEDIR,
              "TZ": "Asia/Tokyo", "HOME": "/nonexistent"}

DIALOG_FORM = ["dialog", "--form", "Form", "12", "60", "3",
               "Name:", "1", "1", "", "1", "10", "30", "0",
               "Mail:", "2", "1", "", "2", "10", "30", "0",
               "Phone:", "3", "1", "", "3", "10", "30", "0"]


def callgrind_total(path):
    """Instructions (Ir) of a callgrind output file."""
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + path)


def wait_file(path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            time.sleep(0.3)
            return
        time.sleep(0.1)
    raise RuntimeError("no " + path)


def valgrind(out):
    return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            "--dump-instr=no"]


class Bench:
    def __init__(self, args):
        self.args = args
        self.smoke = args.smoke
        self.work = tempfile.mkdtemp(prefix="madoguchi-bench.")
        self.results = []
        self.user = "bench@example.jp"
        self.password = "Bench-pass-2026"

    def emit(self, name, project, anchor, lower_is_better, note=""):
        ratio = project / anchor if anchor else float("inf")
        self.results.append((name, project, anchor, ratio, lower_is_better,
                             note))
        fmt = (lambda v: f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}")
        print(f"{name} {fmt(project)} {fmt(anchor)} {ratio:.3f}"
              + (f"  # {note}" if note else ""), flush=True)

    def service(self, name, lines=(), database=None, cert=None, user=True):
        svc = Service(self.work, name, lines, database, cert).start()
        if user:
            svc.admin("user-add", self.user, "--name", "Bench Taro",
                      stdin=self.password + "\n")
        return svc

    # -- 1: start-up instructions -----------------------------------
    def client_run(self, svc, name, ready):
        """Instructions of one whole client run under callgrind: Ctrl-C
        once ready(screen) holds, nothing cut from the count."""
        out = os.path.join(self.work, f"{name}.callgrind")
        p = Pane(self.work, name, valgrind(out) + client_argv(svc),
                 CLIENT_ENV)
        deadline = time.monotonic() + 300
        while not ready(p.screen()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}: not ready:\n" + p.screen())
            time.sleep(0.02)
        p.keys("C-c")
        p.wait("EXITED", 120)
        wait_file(out)
        p.kill()
        return callgrind_total(out)

    def start_instructions(self):
        svc = self.service("start")
        try:
            # Home drawn from its screen file: Ctrl-C at once.
            client = self.client_run(svc, "cstart", lambda s: re.search(
                r"\[\s*Log in\s*\]", s))
            # Home filled in: the service's name in the title bar, and
            # no request running (its notices loaded).
            ready = self.client_run(svc, "cready", lambda s: re.search(
                r"Madoguchi demo service", s) and
                "Connecting to the service" not in s)
            out = os.path.join(self.work, "dialog.callgrind")
            p = Pane(self.work, "dstart", valgrind(out) + DIALOG_FORM)
            p.wait(r"Phone:", 300)
            p.escape_until_exit()
            wait_file(out)
            p.kill()
            anchor = callgrind_total(out)
            self.emit("start_instructions", client, anchor, True,
                      "Ctrl-C as soon as home is drawn")
            self.emit("home_ready_instructions", ready, anchor, True,
                      "Ctrl-C once the service has filled home in")
        finally:
            svc.stop()

    # -- 2: bytes and instructions per key --------------------------
    def typing(self, pane, path, text):
        if os.path.exists(path):
            os.unlink(path)
        pane.record(path)
        time.sleep(0.3)
        pane.type(text, 0.1)
        time.sleep(0.5)
        pane.stop_record()
        time.sleep(0.2)
        return os.path.getsize(path) if os.path.exists(path) else 0

    def key_bytes(self, pane, path, *keys):
        if os.path.exists(path):
            os.unlink(path)
        pane.record(path)
        time.sleep(0.3)
        pane.keys(*keys)
        time.sleep(0.8)
        pane.stop_record()
        time.sleep(0.2)
        return os.path.getsize(path) if os.path.exists(path) else 0

    def keys_figures(self):
        svc = self.service("keys")
        text = "abcdefghijklmnopqrst"
        try:
            p = Pane(self.work, "ckeys", client_argv(svc), CLIENT_ENV)
            p.wait(r"\[\s*Log in\s*\]")
            p.keys("Enter")
            p.wait("User ID")
            time.sleep(0.5)
            client_chars = self.typing(p, os.path.join(self.work, "c.typed"),
                                       text)
            client_tab = self.key_bytes(p, os.path.join(self.work, "c.tab"),
                                        "Tab")
            p.keys("F2")
            p.wait(r"日本語")
            # The Language screen opens on the language in use (Enter
            # would keep English): one row up is 日本語.
            p.keys("Up")
            time.sleep(0.5)
            lang = os.path.join(self.work, "c.lang")
            if os.path.exists(lang):
                os.unlink(lang)
            p.record(lang)
            time.sleep(0.3)
            p.keys("Enter")
            p.wait(r"ログイン")
            time.sleep(0.5)
            p.stop_record()
            time.sleep(0.2)
            client_lang = os.path.getsize(lang)
            p.keys("C-c")
            p.kill()

            d = Pane(self.work, "dkeys", DIALOG_FORM)
            d.wait(r"Phone:")
            dialog_chars = self.typing(d, os.path.join(self.work, "d.typed"),
                                       text)
            dialog_tab = self.key_bytes(d, os.path.join(self.work, "d.tab"),
                                        "Down")
            # A whole screen drawn by dialog: its start.
            d.kill()
            whole = os.path.join(self.work, "d.whole")
            d = Pane(self.work, "dwhole", ["sh", "-c", "sleep 1; exec " +
                                          " ".join(shlex_quote(a) for a in
                                                   DIALOG_FORM)])
            d.record(whole)
            d.wait(r"Phone:")
            time.sleep(0.5)
            d.stop_record()
            dialog_whole = os.path.getsize(whole)
            d.kill()
            n = len(text)
            self.emit("char_bytes", client_chars / n, dialog_chars / n, True)
            self.emit("tab_bytes", client_tab, dialog_tab, True,
                      "dialog: Down, its move to the next field")
            self.emit("language_bytes", client_lang, dialog_whole, True,
                      "anchor: dialog drawing a whole form")
            self.char_instructions(svc, text)
        finally:
            svc.stop()

    def char_instructions(self, svc, text):
        """Instructions per typed character: the same session under
        callgrind with and without the characters, the difference."""
        totals = {}
        for label, chars in (("none", ""), ("typed", text)):
            out = os.path.join(self.work, f"cchar-{label}.callgrind")
            p = Pane(self.work, f"cchar{label}",
                     valgrind(out) + client_argv(svc), CLIENT_ENV)
            p.wait(r"\[\s*Log in\s*\]", 300)
            time.sleep(1)
            p.keys("Enter")
            p.wait("User ID", 120)
            time.sleep(1)
            p.type(chars, 0.3)
            time.sleep(1)
            p.keys("C-c")
            p.wait("EXITED", 120)
            wait_file(out)
            p.kill()
            totals[label] = callgrind_total(out)
        client = (totals["typed"] - totals["none"]) / len(text)
        dtot = {}
        for label, chars in (("none", ""), ("typed", text)):
            out = os.path.join(self.work, f"dchar-{label}.callgrind")
            p = Pane(self.work, f"dchar{label}", valgrind(out) + DIALOG_FORM)
            p.wait(r"Phone:", 300)
            time.sleep(0.5)
            p.type(chars, 0.3)
            p.escape_until_exit()
            wait_file(out)
            p.kill()
            dtot[label] = callgrind_total(out)
        anchor = (dtot["typed"] - dtot["none"]) / len(text)
        self.emit("char_instructions", client, anchor, True)

    # -- 3: client peak RSS ------------------------------------------
    def client_rss(self):
        svc = self.service("rss")
        try:
            out = os.path.join(self.work, "client.rss")
            p = Pane(self.work, "crss", ["/usr/bin/time", "-f", "%M", "-o",
                                         out, *client_argv(svc)], CLIENT_ENV)
            p.wait(r"\[\s*Log in\s*\]")
            p.keys("Enter")
            p.wait("User ID")
            p.type(self.user, 0.02)
            p.keys("Tab")
            p.type(self.password, 0.02)
            p.keys("Tab", "Tab", "Enter")
            # My page opens focused on Log out.
            p.wait(r"Welcome, Bench Taro", 60)
            p.wait(r"bench@example\.jp", 60)
            p.keys("Enter")
            p.wait(r"Do you want to log out", 60)
            p.keys("Enter")
            p.wait(r"Welcome to", 60)
            p.keys("C-c")
            p.wait("EXITED")
            wait_file(out)
            p.kill()
            with open(out) as f:
                client = int(f.read().split()[-1])
            out = os.path.join(self.work, "dialog.rss")
            d = Pane(self.work, "drss", ["/usr/bin/time", "-f", "%M", "-o",
                                         out, *DIALOG_FORM])
            d.wait(r"Phone:")
            d.type("abcdef", 0.02)
            d.escape_until_exit()
            wait_file(out)
            d.kill()
            with open(out) as f:
                anchor = int(f.read().split()[-1])
            self.emit("client_rss_kib", client, anchor, True)
        finally:
            svc.stop()

    # -- 4: /info over TLS vs nginx ----------------------------------
    def wrk(self, url, threads, conns, seconds, script=None):
        argv = ["wrk", "-t", str(threads), "-c", str(conns), "-d",
                f"{seconds}s", "--latency", "--timeout", "10s"]
        if script:
            argv += ["-s", script]
        out = subprocess.run(argv + [url], capture_output=True, text=True,
                             check=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

        def pct(p):
            m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
            if not m:
                return float("nan")
            v = float(m.group(1))
            return v / 1000 if m.group(2) == "us" else (
                v * 1000 if m.group(2) == "s" else v)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return rps, pct(50), pct(99), int(non2xx.group(1)) if non2xx else 0

    def nginx(self, svc, body_path):
        d = os.path.join(self.work, "nginx")
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:0 ssl;
    ssl_certificate {svc.dir}/server.pem;
    ssl_certificate_key {svc.dir}/server-key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE+AESGCM:ECDHE+CHACHA20;
    location = /api/v1/info {{
      default_type "application/json; charset=utf-8";
      add_header Cache-Control no-store;
      alias {body_path};
    }}
  }}
}}
""")
        # nginx cannot report a port it picked: choose a free one.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        text = open(conf).read().replace("127.0.0.1:0", f"127.0.0.1:{port}")
        open(conf, "w").write(text)
        proc = subprocess.Popen(["nginx", "-c", conf, "-p", d],
                                stderr=subprocess.DEVNULL)
        time.sleep(1)
        return proc, f"https://127.0.0.1:{port}/api/v1/info"

    def info(self):
        svc = self.service("info")
        nginx = None
        try:
            body = subprocess.run(["curl", "-s", "--cacert", svc.ca,
                                   svc.url + "/api/v1/info"],
                                  capture_output=True, check=True).stdout
            body_path = os.path.join(self.work, "info.json")
            with open(body_path, "wb") as f:
                f.write(body)
            nginx, nurl = self.nginx(svc, body_path)
            seconds = 2 if self.smoke else 10
            for threads, conns in ((1, 32), (2, 64)):
                ours = self.wrk(svc.url + "/api/v1/info", threads, conns,
                                seconds)
                theirs = self.wrk(nurl, threads, conns, seconds)
                self.emit(f"info_rps_{threads}x{conns}", ours[0], theirs[0],
                          False, f"p50 {ours[1]:.2f} vs {theirs[1]:.2f} ms, "
                          f"p99 {ours[2]:.2f} vs {theirs[2]:.2f} ms")
        finally:
            if nginx:
                nginx.terminate()
                nginx.wait()
            svc.stop()

    # -- 5: log-ins vs the argon2id ceiling -------------------------
    def login_script(self, user):
        path = os.path.join(self.work, f"login-{abs(hash(user))}.lua")
        body = json.dumps({"user_id": user, "password": self.password})
        with open(path, "w") as f:
            f.write('wrk.method = "POST"\n'
                    'wrk.headers["Content-Type"] = "application/json"\n'
                    f"wrk.body = {json.dumps(body)}\n")
        return path

    def ceiling(self, svc):
        out = svc.admin("hash-rate", "1" if self.smoke else "5", "--json")
        r = json.loads(out.stdout)
        return r["per_thread"] * r["cores"], r

    def login(self):
        svc = self.service("login")
        try:
            ceiling, r = self.ceiling(svc)
            seconds = 3 if self.smoke else 15
            rps, p50, p99, bad = self.wrk(svc.url + "/api/v1/session", 2, 16,
                                          seconds,
                                          self.login_script(self.user))
            self.emit("login_rps", rps, ceiling, False,
                      f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, {bad} not 201; "
                      f"service peak RSS {svc.peak_rss_kib() // 1024} MiB; "
                      f"ceiling {r['per_thread']:.1f}/s x {r['cores']} "
                      f"cores (t={r['hash_time']}, m={r['hash_memory']} KiB)")
        finally:
            svc.stop()

    # -- 5b: log-ins on PostgreSQL, one and two instances --------------
    def haproxy(self, services):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        cfg = os.path.join(self.work, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write("defaults\n\tmode tcp\n\ttimeout connect 5s\n"
                    "\ttimeout client 5m\n\ttimeout server 5m\n"
                    f"frontend f\n\tbind 127.0.0.1:{port}\n"
                    "\tdefault_backend b\nbackend b\n\tbalance roundrobin\n")
            for i, svc in enumerate(services):
                f.write(f"\tserver m{i} 127.0.0.1:{svc.port}\n")
        proc = subprocess.Popen(["haproxy", "-db", "-f", cfg],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(1)
        return proc, f"https://127.0.0.1:{port}"

    def login_pg(self):
        sys.path.insert(0, os.path.join(TOP, "tests", "api"))
        import pgcluster
        seconds = 3 if self.smoke else 15
        # fsync on, as a real server runs.
        cluster = pgcluster.Cluster(durable=True)
        services, balancer = [], None
        try:
            lite = self.service("login-lite")
            ceiling, r = self.ceiling(lite)
            rps_lite = self.wrk(lite.url + "/api/v1/session", 2, 16,
                                seconds, self.login_script(self.user))[0]
            lite.stop()
            db = cluster.database()
            one = self.service("login-pg1", database=db)
            services.append(one)
            rps_one = self.wrk(one.url + "/api/v1/session", 2, 16, seconds,
                               self.login_script(self.user))[0]
            two = self.service("login-pg2", database=db, cert=one.dir,
                               user=False)
            services.append(two)
            balancer, url = self.haproxy([one, two])
            rps_two = self.wrk(url + "/api/v1/session", 2, 16, seconds,
                               self.login_script(self.user))[0]
            note = (f"ceiling {r['per_thread']:.1f}/s x {r['cores']} cores, "
                    "measured now")
            self.emit("login_sqlite", rps_lite, ceiling, False, note)
            self.emit("login_pg1", rps_one, ceiling, False,
                      "one instance on PostgreSQL")
            self.emit("login_pg2", rps_two, ceiling, False,
                      "two instances on one PostgreSQL, through haproxy")
        finally:
            if balancer:
                balancer.terminate()
                balancer.wait()
            for svc in services:
                svc.stop()
            cluster.destroy()

    # -- 6: growth ------------------------------------------------------
    def populate(self, svc, users, sessions):
        """users and sessions rows straight into the SQLite file, all
        with the bench user's password hash."""
        svc.stop()
        db = sqlite3.connect(os.path.join(svc.dir, "madoguchid.sqlite"))
        cols = [r[1] for r in db.execute("PRAGMA table_info(users)")]
        row = dict(zip(cols, db.execute("SELECT * FROM users").fetchone()))
        rows = []
        for i in range(users):
            r = dict(row)
            r.pop("id")
            r["user_id"] = r["email"] = f"user{i}@example.jp"
            for k in ("user_key", "email_key"):
                if k in r:
                    r[k] = r["user_id"]
            rows.append(r)
        names = list(rows[0])
        db.executemany(f"INSERT INTO users ({', '.join(names)}) VALUES "
                       f"({', '.join('?' * len(names))})",
                       [tuple(r[n] for n in names) for r in rows])
        now = int(time.time())
        db.executemany("INSERT INTO sessions (token_hash, user_ref, "
                       "created_at, last_seen, expires_at, lang) VALUES "
                       "(?, ?, ?, ?, ?, 'ja')",
                       [(os.urandom(32), 1 + i % users, now, now,
                         now + 86400) for i in range(sessions)])
        db.commit()
        db.close()
        svc.start()

    def growth(self):
        n = 2000 if self.smoke else 100000
        seconds = 2 if self.smoke else 10
        small = self.service("growth-one")
        big = self.service("growth-big")
        try:
            self.populate(big, n, n)
            res = {}
            for label, svc in (("one", small), ("big", big)):
                login = self.wrk(svc.url + "/api/v1/session", 2, 16, seconds,
                                 self.login_script(self.user))[0]
                info = self.wrk(svc.url + "/api/v1/info", 1, 32, seconds)[0]
                res[label] = (login, info)
            self.emit("growth_login", res["big"][0], res["one"][0], False,
                      f"{n} users and sessions vs one")
            self.emit("growth_info", res["big"][1], res["one"][1], False,
                      f"{n} users and sessions vs one")
        finally:
            small.stop()
            big.stop()

    # -- 7: handshakes in a session with a pause ---------------------
    def handshakes(self):
        svc = self.service("handshakes")
        pause = 3 if self.smoke else 60
        try:
            p = Pane(self.work, "chand", client_argv(svc), CLIENT_ENV)
            p.wait(r"\[\s*Log in\s*\]")
            p.keys("Enter")
            p.wait("User ID")
            p.type(self.user, 0.02)
            # A person who stops between fields.
            time.sleep(pause)
            p.keys("Tab")
            p.type(self.password, 0.02)
            p.keys("Tab", "Tab", "Enter")
            p.wait(r"Welcome, Bench Taro", 60)
            p.keys("C-c")
            p.wait("EXITED")
            p.kill()
            opened = svc.read_log().count("connection opened")
            self.emit("handshakes_pause", opened, 1, True,
                      f"a {pause} s pause between fields")
        finally:
            svc.stop()

    FIGURES = {
        "start_instructions": "start_instructions",
        "keys": "keys_figures",
        "client_rss": "client_rss",
        "info": "info",
        "login": "login",
        "login_pg": "login_pg",
        "growth": "growth",
        "handshakes": "handshakes",
    }

    def run(self):
        only = set(self.args.only.split(",")) if self.args.only else None
        failed = []
        for name, method in self.FIGURES.items():
            if only and name not in only:
                continue
            log(f"measuring {name}")
            try:
                getattr(self, method)()
            except Exception as e:  # report, go on with the rest
                failed.append(name)
                print(f"{name} failed: {e}", flush=True)
        print(f"summary: {len(self.results)} figures, {len(failed)} failed"
              + (f" ({', '.join(failed)})" if failed else "") +
              f"; machine: {os.cpu_count()} cores, "
              f"{os.uname().machine}, {os.uname().release}")
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--keep", action="store_true")
    sys.exit(Bench(ap.parse_args()).run())


if __name__ == "__main__":
    main()
