#!/bin/sh
# Every systemd unit shipped passes `systemd-analyze verify`, with no
# message at all, and madoguchid.service rates "OK" or better (exposure
# 2.0 at most) in `systemd-analyze security --offline=true`.
#
# Without a running systemd (a container, CI), verify is given a scratch
# root: the system's own units, ours in etc/systemd/system, and a stand-in
# for each program an ExecStart= names, so that what is checked is the
# unit files themselves.  The installed units, with the real programs
# and manual pages, are verified again by tests/package/package.sh.
set -u
command -v systemd-analyze >/dev/null 2>&1 || {
	echo "SKIP: systemd-analyze is not installed (Debian package systemd)"
	exit 77
}
units="systemd/madoguchid.service systemd/madoguchi-kiosk@.service"
sysunits=/lib/systemd/system
[ -d "$sysunits" ] || sysunits=/usr/lib/systemd/system
root=$(mktemp -d "${TMPDIR:-/tmp}/units.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/lib/systemd"
cp -R "$sysunits" "$root/lib/systemd/system"
status=0
for u in $units; do
	[ -f "$u" ] || { echo "FAIL: $u was not built"; exit 1; }
	cp "$u" "$root/etc/systemd/system/"
	for prog in $(sed -n 's/^ExecStart=[-@+!:]*\([^ ]*\).*/\1/p' "$u"); do
		mkdir -p "$root$(dirname "$prog")"
		printf '#!/bin/sh\n' > "$root$prog"
		chmod 755 "$root$prog"
	done
done
for u in $units; do
	name=$(basename "$u")
	case $name in *@.service) name=${name%@.service}@tty1.service;; esac
	out=$(systemd-analyze verify --root="$root" --man=no "$name" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		echo "FAIL: systemd-analyze verify $name (exit $rc):"
		echo "$out"
		status=1
	else
		echo "ok: systemd-analyze verify $name"
	fi
done
line=$(systemd-analyze security --offline=true systemd/madoguchid.service \
	2>&1 | sed -n 's/.*Overall exposure level for [^:]*: //p')
echo "madoguchid.service exposure: $line"
case $line in
[0-1].[0-9]\ *|2.0\ *) ;;
*) echo "FAIL: madoguchid.service exposure above 2.0"; status=1;;
esac
exit $status
