#!/bin/sh
# Install what building and checking the Debian packages needs
# (tests/package/package.sh): dpkg-dev, debhelper, lintian, the build
# dependencies named in debian/control, and kmscon so that the kiosk
# unit is verified with the real program.  Run as root; scripts/check.sh
# runs it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export DEBIAN_FRONTEND=noninteractive
tools="dpkg-dev debhelper lintian mandoc systemd kmscon man-db"
. "$top/scripts/packages.sh"
# shellcheck disable=SC2086
missing=$(missing_packages $tools)
if [ -n "$missing" ]; then
	echo "setup-packaging: installing:$missing"
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi
deps=$(dpkg-checkbuilddeps 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
    sed 's/([^)]*)//g; s/|[^,]*//g; s/,/ /g')
if [ -n "$deps" ]; then
	echo "setup-packaging: installing build dependencies: $deps"
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $deps
fi
