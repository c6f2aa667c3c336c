#!/bin/sh
# The Debian packages (issue 13), as an operator meets them: build both
# with dpkg-buildpackage from a copy of the tree, check them with
# lintian (no error, no warning), install them on this machine, verify
# the installed units, start the installed madoguchid with its unit's
# command line, as its user, with the packaged configuration, log in
# once with the installed client (login.exp), then purge them and
# whatever they brought, leaving the machine as it was found.
#
# Skipped (exit 77, a visible SKIP) where dpkg-buildpackage or debhelper
# is missing (scripts/setup-packaging.sh installs them; scripts/check.sh
# runs it), when not root, outside a git checkout with debian/ (a dist
# tarball carries none), when the packages are already installed, or
# when port 8443, the packaged configuration's, is taken.
set -u
skip() { echo "SKIP: $*"; exit 77; }
src=$(cd "${srcdir:-.}" && pwd)
for tool in dpkg-buildpackage dh dpkg-checkbuilddeps; do
	command -v $tool >/dev/null 2>&1 ||
	    skip "$tool is not installed (sh scripts/setup-packaging.sh)"
done
[ "$(id -u)" -eq 0 ] || skip "installing packages needs root"
[ -f "$src/debian/control" ] || skip "no debian/ in $src (a dist tarball)"
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 ||
    skip "$src is not a git checkout"
for p in madoguchi madoguchid; do
	if dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q installed; then
		skip "$p is already installed on this machine"
	fi
done
if "${PYTHON3:-python3}" -c 'import socket,sys
s=socket.socket(); s.settimeout(2)
sys.exit(0 if s.connect_ex(("127.0.0.1", 8443)) == 0 else 1)'; then
	skip "port 8443 is taken"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/package.XXXXXX")
pid=
installed=no
users_before=$(getent passwd madoguchid madoguchi-kiosk | cut -d: -f1)
dpkg-query -W -f='${Package}\n' | sort > "$tmp/packages.before"

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"; sleep 1; kill -KILL "$pid" 2>/dev/null
	fi
	if [ "$installed" = yes ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq \
		    madoguchi madoguchid >/dev/null 2>&1
	fi
	# What the install brought besides (dependencies), and the users.
	dpkg-query -W -f='${Package}\n' | sort > "$tmp/packages.after"
	extra=$(comm -13 "$tmp/packages.before" "$tmp/packages.after")
	if [ -n "$extra" ]; then
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $extra \
		    >/dev/null 2>&1
	fi
	for u in madoguchid madoguchi-kiosk; do
		case " $users_before " in *" $u "*) continue;; esac
		if getent passwd $u >/dev/null; then
			userdel $u 2>/dev/null
		fi
		if getent group $u >/dev/null; then
			groupdel $u 2>/dev/null
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

# 1. Build from a copy: dpkg-buildpackage cleans the tree it runs in.
mkdir "$tmp/src"
(cd "$src" && git ls-files -co --exclude-standard -z |
    xargs -0 cp --parents -t "$tmp/src") || fail "copying the tree"
missing=$(cd "$tmp/src" && dpkg-checkbuilddeps 2>&1 |
    sed -n 's/.*Unmet build dependencies: //p')
[ -z "$missing" ] || skip "build dependencies missing: $missing"
(cd "$tmp/src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
    dpkg-buildpackage -us -uc -b) > "$tmp/build.log" 2>&1 ||
    { tail -n 40 "$tmp/build.log"; fail "dpkg-buildpackage"; }
deb_client=$(ls "$tmp"/madoguchi_*.deb)
deb_service=$(ls "$tmp"/madoguchid_*.deb)
ok "built $(basename "$deb_client") and $(basename "$deb_service")"

# 2. lintian: no error and no warning (overrides carry their reason).
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error,warning "$deb_client" "$deb_service" \
	    > "$tmp/lintian.log" 2>&1 ||
	    { cat "$tmp/lintian.log"; fail "lintian"; }
	grep -E '^[EW]: ' "$tmp/lintian.log" && fail "lintian"
	ok "lintian: no error, no warning"
else
	echo "note: lintian is not installed; not run"
fi

# 3. Install on this machine.
installed=yes
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "$deb_client" "$deb_service" \
    > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "install"; }
ok "installed"
# Under a running systemd the package started the service: stop it, the
# test runs the unit's command line itself.
if [ -d /run/systemd/system ]; then
	systemctl stop madoguchid.service
fi
[ "$(stat -c '%U %a' /var/lib/madoguchid)" = "madoguchid 700" ] ||
    fail "/var/lib/madoguchid: $(stat -c '%U %a' /var/lib/madoguchid)"
[ "$(stat -c '%U %G %a' /etc/madoguchid/madoguchid.conf)" = \
    "root madoguchid 640" ] || fail "/etc/madoguchid/madoguchid.conf mode"
getent passwd madoguchi-kiosk >/dev/null || fail "no madoguchi-kiosk user"
ok "system users, data directory 0700, configuration 0640"

# 4. The installed units, with the real programs and manual pages.
unit=/lib/systemd/system/madoguchid.service
kiosk=/lib/systemd/system/madoguchi-kiosk@.service
man=no
command -v man >/dev/null 2>&1 && man=yes
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify --man=$man "$unit" 2>&1) ||
	    fail "systemd-analyze verify $unit: $out"
	[ -z "$out" ] || fail "systemd-analyze verify $unit: $out"
	if [ -x /usr/bin/kmscon ]; then
		out=$(systemd-analyze verify --man=$man \
		    "$kiosk" 2>&1) || fail "systemd-analyze verify $kiosk: $out"
		[ -z "$out" ] || fail "systemd-analyze verify $kiosk: $out"
	else
		echo "note: kmscon is not installed; $kiosk verified by tests/lint/systemd_units.sh only"
	fi
	ok "systemd-analyze verify of the installed units"
fi

# 5. The service from its unit's command line, as its user.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
user=$(sed -n 's/^User=//p' "$unit")
case $exec_start in /usr/bin/madoguchid\ *) ;; *) fail "ExecStart=$exec_start";; esac
# shellcheck disable=SC2086
setpriv --reuid="$user" --regid="$user" --init-groups -- $exec_start \
    2> "$tmp/service.log" &
pid=$!
i=0
until grep -q 'listening on https://127.0.0.1:8443' "$tmp/service.log"; do
	kill -0 "$pid" 2>/dev/null ||
	    { cat "$tmp/service.log"; fail "madoguchid exited at start"; }
	i=$((i + 1)); [ $i -lt 300 ] || fail "madoguchid did not start"
	sleep 0.1
done
ok "the installed madoguchid listens: $exec_start"
password=Madoguchi2025
printf '%s\n' "$password" | setpriv --reuid="$user" --regid="$user" \
    --init-groups -- /usr/bin/madoguchid --config \
    /etc/madoguchid/madoguchid.conf user-add taro@example.jp \
    --name "山田 太郎" || fail "user-add"

# 6. One log-in with the installed client.
HOME=$tmp MADOGUCHI=/usr/bin/madoguchi PKG_SERVER=https://127.0.0.1:8443 \
    PKG_CA=/var/lib/madoguchid/ca.pem PKG_USER=taro@example.jp \
    PKG_PASSWORD=$password "${EXPECT:-expect}" "$src/tests/package/login.exp" ||
    fail "log-in with the installed client"
grep -q 'POST /api/v1/session 201' "$tmp/service.log" ||
    fail "the service saw no log-in"
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] || fail "madoguchid exited $rc on SIGTERM"
ok "logged in and out; the service stopped cleanly"

# 7. Purge: the data directory and the configuration go.
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq madoguchi madoguchid \
    > "$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "purge"; }
installed=no
for p in /var/lib/madoguchid /etc/madoguchid /etc/madoguchi /usr/bin/madoguchi \
    /usr/share/madoguchi "$unit"; do
	[ ! -e "$p" ] || fail "$p is still there after the purge"
done
ok "purged"
exit 0
