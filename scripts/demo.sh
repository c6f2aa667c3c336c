#!/bin/sh
# Try madoguchi: build it, start a local madoguchid on loopback with a
# generated certificate and a fresh SQLite file in a scratch directory,
# create a demo user, and run the client against it.  The service stops
# when the client exits.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/setup.sh
make -s locale/.stamp

data=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-demo.XXXXXX")
# Run from the build tree: the catalogues are here, not installed.  Times
# are Japan time unless TZ says otherwise.
MADOGUCHI_LOCALEDIR="$top/locale"
TZ=${TZ:-Asia/Tokyo}
export MADOGUCHI_LOCALEDIR TZ
cat > "$data/madoguchid.conf" <<CONF
data_dir = $data
port = 0
port_file = $data/port
service_name = "Madoguchi demo service"
CONF

./madoguchid --config "$data/madoguchid.conf" > "$data/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT INT TERM
i=0
while [ ! -s "$data/port" ]; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 $service 2>/dev/null; then
		cat "$data/service.log" >&2
		echo "demo: madoguchid did not start" >&2
		exit 1
	fi
	sleep 0.1
done
port=$(cat "$data/port")

user=demo@example.jp
password="Demo-$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" | ./madoguchid --config "$data/madoguchid.conf" \
	user-add "$user" --name "窓口 太郎" >/dev/null

cat <<INFO
madoguchi demo
  service:   https://127.0.0.1:$port (data in $data)
  user ID:   $user
  password:  $password
  service log: $data/service.log
  mail:      the service writes every mail to $data/outbox; to read them
             in another terminal: sh scripts/mail.sh $data
Press Enter to start the client (Tab moves, Enter selects, Esc goes back).
INFO
read -r _ || true

./madoguchi --screens "$top/screens" \
	--server "https://127.0.0.1:$port" --cacert "$data/ca.pem" || true
echo "demo: client closed; service stopped. Data kept in $data"
