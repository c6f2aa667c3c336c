#!/bin/sh
# Build everything and run every test: unit, API and screen tests
# (make check), then make distcheck.  Ends with "N passed, N failed".
# Extra configure options can be given in CONFIGURE_FLAGS.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

summary() {
	pass=0 fail=0
	if [ -f test-suite.log ]; then
		pass=$(sed -n 's/^# PASS: *//p' test-suite.log | head -n 1)
		fail=$(sed -n 's/^# FAIL: *//p' test-suite.log | head -n 1)
		xfail=$(sed -n 's/^# XPASS: *//p;s/^# ERROR: *//p' test-suite.log | awk '{s+=$1} END {print s+0}')
		fail=$(( ${fail:-0} + xfail ))
	fi
	pass=${pass:-0}
	fail=$(( ${fail:-0} + $1 ))
	echo "$pass passed, $fail failed"
}

rm -f test-suite.log
# Public test corpora are read in place from shared/ beside the clone.
JSON_CORPUS=${JSON_CORPUS:-$(cd "$top/.." && pwd)/shared/corpora/JSONTestSuite/test_parsing}
export JSON_CORPUS
# shellcheck disable=SC2086
MADOGUCHI_RECONFIGURE=yes sh scripts/setup.sh ${CONFIGURE_FLAGS:-} || { echo "check: build failed"; summary 1; exit 1; }
# The package test (tests/package/package.sh) builds and installs the
# Debian packages: it needs root, dpkg-buildpackage, debhelper, lintian.
if [ "$(id -u)" -eq 0 ]; then
	sh scripts/setup-packaging.sh || { echo "check: cannot install the packaging tools"; summary 1; exit 1; }
fi

status=0
# Two tests at a time on two cores: most of a test's time is waiting (for
# a service, a screen, a timer); each has its own ports, directories,
# tmux server and database.
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -ge 2 ] || jobs=2
make -s -j"$jobs" check || status=1
if [ $status -ne 0 ]; then
	for log in $(grep -l -E '^(FAIL|ERROR)' tests/*/*.log tests/*/*.trs 2>/dev/null | sed 's/\.trs$/.log/' | sort -u); do
		echo "==== $log"; tail -n 60 "$log"
	done
fi
cp test-suite.log test-suite.check.log 2>/dev/null
extra=0
if [ "${SKIP_DISTCHECK:-no}" != yes ]; then
	# The tarball must build, install, uninstall and pass its tests
	# out of tree: the unit and lint tests, every API test (on SQLite;
	# make check above ran them on PostgreSQL too), one flow on screen
	# and one golden tour (its files must be in the tarball).  The rest
	# ran above on the same sources.
	dist_tests=$(cd "$top" && ls tests/unit/test_*.c tests/lint/*.py \
		tests/lint/*.sh tests/api/*_test.py | sed 's/\.c$//' | tr '\n' ' ')
	dist_tests="$dist_tests tests/screen/login_logout.exp tests/screen/golden_oss.exp"
	make -s -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS="${CONFIGURE_FLAGS:-}" \
		TESTS="$dist_tests" \
		> distcheck.log 2>&1 || { tail -n 80 distcheck.log; echo "check: make distcheck failed"; extra=1; }
fi
cp test-suite.check.log test-suite.log 2>/dev/null
summary $extra
[ $status -eq 0 ] && [ $extra -eq 0 ]
