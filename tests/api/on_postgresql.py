"""Run one API test on PostgreSQL: make check's runner for
tests/api/NAME.pgtest, a file made in the build tree (tests/local.mk)
that holds the path of tests/api/NAME.py.  The test runs as it does on
SQLite, with MADOGUCHI_DB=postgresql: its services get their databases
from a scratch cluster (pgcluster.py).  Exits 77 (SKIP) when PostgreSQL's
server programs are not installed."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgcluster  # noqa: E402

with open(sys.argv[1]) as f:
    test = f.read().strip()
if not pgcluster.available():
    print("SKIP: PostgreSQL's server programs are not installed "
          "(Debian package postgresql-15)")
    sys.exit(77)
os.environ["MADOGUCHI_DB"] = "postgresql"
sys.stdout.flush()
os.execv(sys.executable, [sys.executable, test])
