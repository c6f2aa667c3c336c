"""The manual pages pass `mandoc -T lint` without a warning (or, where
mandoc is not installed, `groff -ww -z`), and madoguchid.8 names every
option, command and configuration key the program knows, and
madoguchi.1 every option and key of the client.

Usage: python3 tests/lint/man_pages.py (from the build directory, with
srcdir in the environment as automake gives it, or the source tree)."""

import os
import re
import shutil
import subprocess
import sys

SRC = os.environ.get("srcdir", ".")
PAGES = ["doc/madoguchid.8", "doc/madoguchi.1"]


def read(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        return f.read()


def lint(failures):
    paths = [os.path.join(SRC, p) for p in PAGES]
    if shutil.which("mandoc"):
        r = subprocess.run(["mandoc", "-T", "lint", "-W", "warning"] + paths,
                           capture_output=True, text=True)
        tool = "mandoc -T lint -W warning"
    else:
        r = subprocess.run(["groff", "-ww", "-z", "-man"] + paths,
                           capture_output=True, text=True)
        tool = "groff -ww -z"
    out = (r.stdout + r.stderr).strip()
    if out or r.returncode != 0:
        failures.append(f"{tool}:\n{out}")
    print(f"ok: {tool}" if not out else f"FAIL: {tool}")


def service_names():
    settings = read("src/service/settings.c")
    keys = set(re.findall(r'^\s*\{ "([a-z_0-9]+)", offsetof', settings,
                          re.M))
    for kind in re.findall(r'^\s*RATE\("(\w+)"', settings, re.M):
        keys |= {f"rate_{kind}_per_client", f"rate_{kind}_per_target",
                 f"rate_{kind}_window"}
    keys |= set(re.findall(r'^\s*PURGE\("(\w+)"', settings, re.M))
    keys |= set(re.findall(r'^\s*LIMIT\((\w+),', settings, re.M))
    keys.add("profile")
    main = read("src/service/main.c")
    options = set(re.findall(r'\{ "([a-z-]+)", (?:required|no)_argument',
                             main))
    commands = set(re.findall(r'^\s*\{ "([a-z-]+)", admin_\w+ \}', main,
                              re.M))
    commands.add("serve")
    return keys, options, commands


def client_names():
    options = read("src/client/options.c")
    keys = set(re.findall(r'strcmp\(key, "([a-z_]+)"\) == 0', options))
    opts = set(re.findall(r'\{ "([a-z-]+)", (?:required|no)_argument',
                          options))
    return keys, opts


def plain(page):
    """The page's text with roff's escaped hyphens made plain."""
    return read(page).replace("\\-", "-").replace("\\fB", "").replace(
        "\\fR", "").replace("\\fI", "")


def check_names(failures):
    keys, options, commands = service_names()
    assert len(keys) > 50 and len(commands) > 8, (keys, commands)
    text = plain("doc/madoguchid.8")
    for k in sorted(keys):
        if not re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text):
            failures.append(f"madoguchid.8 does not name the setting {k}")
    for o in sorted(options):
        if f"--{o}" not in text:
            failures.append(f"madoguchid.8 does not name the option --{o}")
    for c in sorted(commands):
        if not re.search(rf"(?m)^\.(?:B|BI|BR) {re.escape(c)}\b", text):
            failures.append(f"madoguchid.8 does not describe the command {c}")
    for section in ("FILES", "SIGNALS", "EXIT STATUS", "CONFIGURATION",
                    "COMMANDS", "OPTIONS"):
        if f".SH {section}" not in text:
            failures.append(f"madoguchid.8 has no {section} section")
    ckeys, copts = client_names()
    assert len(ckeys) > 8, ckeys
    text = plain("doc/madoguchi.1")
    for k in sorted(ckeys):
        if not re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text):
            failures.append(f"madoguchi.1 does not name the setting {k}")
    for o in sorted(copts):
        if f"--{o}" not in text:
            failures.append(f"madoguchi.1 does not name the option --{o}")


def main():
    failures = []
    lint(failures)
    check_names(failures)
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("ok: every option, command and setting is in the pages")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
