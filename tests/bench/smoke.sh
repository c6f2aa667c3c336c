#!/bin/sh
# The benchmark still runs (scripts/bench.py --smoke): every figure once,
# briefly.  Its numbers mean nothing here and nothing is asserted of
# them; the full run is `make bench` (README "Performance").  SKIP where
# a tool it needs is missing (scripts/setup.sh installs them for CI).
for tool in valgrind wrk nginx dialog haproxy /usr/bin/time tmux curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool is not installed"
		exit 77
	fi
done
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(${PYTHON3:-python3} "$top/scripts/bench.py" --smoke 2>&1)
status=$?
printf '%s\n' "$out"
[ $status -eq 0 ] || { echo "FAIL: bench.py exited $status"; exit 1; }
# Every figure printed as NAME project anchor ratio, and none failed.
figures=$(printf '%s\n' "$out" | grep -cE '^[a-z0-9_]+ [0-9.e+]+ [0-9.e+]+ [0-9.]+')
printf '%s\n' "$out" | grep -q "^summary: $figures figures, 0 failed" ||
	{ echo "FAIL: a figure is missing or failed"; exit 1; }
[ "$figures" -ge 16 ] || { echo "FAIL: only $figures figures"; exit 1; }
echo "ok: $figures figures"
