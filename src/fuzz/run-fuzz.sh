#!/bin/sh
# make check with --enable-fuzzing: run every fuzz target for a bounded
# time over the JSONTestSuite files (read in place, never written: new
# inputs go to a scratch corpus).  FUZZ_TIME overrides the seconds.
set -u
dir=./src/fuzz
time=${FUZZ_TIME:-20}
corpus=${JSON_CORPUS:-}
if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
	echo "run-fuzz: JSON_CORPUS is not a directory: $corpus" >&2
	exit 99
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
status=0
for target in "$dir"/fuzz_*; do
	case $target in *.o|*.log|*.trs) continue ;; esac
	[ -x "$target" ] || continue
	name=$(basename "$target")
	mkdir -p "$scratch/$name"
	echo "run-fuzz: $name for ${time}s"
	# Findings (crash-*, leak-*, timeout-*) land in the build directory.
	if ! "$target" -max_total_time="$time" -rss_limit_mb=2048 \
	    -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$dir/$name-" "$scratch/$name" "$corpus"; then
		echo "run-fuzz: $name FAILED; the input is in $dir/$name-*" >&2
		status=1
	fi
done
exit $status
