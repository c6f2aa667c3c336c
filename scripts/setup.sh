#!/bin/sh
# Shared by demo.sh and check.sh: install the Debian 12 packages that are
# missing, then configure and build in the source tree.
# Usage: scripts/setup.sh [configure options...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages="build-essential autoconf automake autopoint libtool pkg-config gettext
 libncurses-dev libcurl4-gnutls-dev libcjson-dev libmicrohttpd-dev
 libsqlite3-dev libpq-dev libsodium-dev libgnutls28-dev libcmocka-dev
 libpwquality-dev cracklib-runtime liblsan0
 libsystemd-dev systemd mandoc libseccomp-dev
 expect tmux python3 sqlite3 openssl procps ca-certificates tzdata
 postgresql-15 haproxy
 valgrind wrk nginx-light dialog time curl"

. "$top/scripts/packages.sh"
# shellcheck disable=SC2086
missing=$(missing_packages $packages)
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: these Debian packages are missing; run as root or install them:$missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	case " $missing " in
	*" postgresql-15 "*)
		# The API tests start scratch clusters of their own
		# (tests/api/pgcluster.py): the package must not create and
		# start a cluster at install time.
		if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
			mkdir -p /etc/postgresql-common
			echo "create_main_cluster = false" \
				>/etc/postgresql-common/createcluster.conf
		fi
		;;
	esac
	apt-get update -qq
	# The tests start haproxy and PostgreSQL themselves, with their own
	# configurations: no package may start a daemon of its own.
	policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		policy=/usr/sbin/policy-rc.d
	fi
	# confold: keep that file rather than ask about it.
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold $missing ||
		{ [ -z "$policy" ] || rm -f "$policy"; exit 1; }
	[ -z "$policy" ] || rm -f "$policy"
fi

if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi
fi
if [ ! -f Makefile ] || [ "${MADOGUCHI_RECONFIGURE:-no}" = yes ] || [ configure -nt Makefile ]; then
	./configure -q "$@"
fi
make -s -j"$(nproc)"
