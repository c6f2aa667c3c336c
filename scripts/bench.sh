#!/bin/sh
# The benchmark: every figure of madoguchi beside an anchor measured in
# the same run (dialog, nginx, the argon2id ceiling), as ratios.  Installs
# what it needs (as root), builds, then runs scripts/bench.py.
# Usage: sh scripts/bench.sh [--smoke] [--only NAME,...] [--keep]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages="valgrind wrk nginx-light dialog time tmux curl haproxy postgresql-15"
. "$top/scripts/packages.sh"
# shellcheck disable=SC2086
missing=$(missing_packages $packages)
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: these Debian packages are missing; run as root or install them:$missing" >&2
		exit 1
	fi
	echo "bench: installing:$missing"
	# nginx is only ever started by the benchmark, on a port of its
	# own: keep the package from starting the system's.
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 0755 /usr/sbin/policy-rc.d
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing ||
		{ rm -f /usr/sbin/policy-rc.d; exit 1; }
	rm -f /usr/sbin/policy-rc.d
fi
sh scripts/setup.sh
make -s locale/.stamp
exec python3 scripts/bench.py "$@"
