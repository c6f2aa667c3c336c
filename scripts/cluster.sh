#!/bin/sh
# Several instances, on this machine: a scratch PostgreSQL cluster (initdb
# run as an unprivileged user, a Unix socket only), three madoguchid on
# its one database, haproxy in front of them on one port, and the client
# against haproxy.  Everything stops when the client exits.
#
# Try a rolling restart while the client runs, from another terminal:
#   kill -TERM "$(cat DIR/madoguchid-2.pid)"   # drains, exits; haproxy
#                                              # sends the rest elsewhere
#   sh scripts/cluster.sh --restart DIR 2      # start it again
# (DIR is printed at start.)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

instances=3
pg_bin=/usr/lib/postgresql/15/bin

# Start instance N of the cluster in DIR (its configuration exists).
start_instance() {
	dir=$1 n=$2
	./madoguchid --config "$dir/madoguchid-$n.conf" \
		>> "$dir/madoguchid-$n.log" 2>&1 &
	echo $! > "$dir/madoguchid-$n.pid"
}

if [ "${1:-}" = --restart ]; then
	start_instance "$2" "$3"
	echo "cluster: instance $3 started again (log: $2/madoguchid-$3.log)"
	exit 0
fi

sh scripts/setup.sh
make -s locale/.stamp
for p in "$pg_bin/initdb" /usr/sbin/haproxy; do
	if [ ! -x "$p" ]; then
		echo "cluster: $p is missing (Debian packages postgresql-15," \
			"haproxy; scripts/setup.sh installs them as root)" >&2
		exit 1
	fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/madoguchi-cluster.XXXXXX")
chmod 0755 "$dir"
MADOGUCHI_LOCALEDIR="$top/locale"
TZ=${TZ:-Asia/Tokyo}
export MADOGUCHI_LOCALEDIR TZ

# PostgreSQL refuses to run as root: as root, run it as "postgres".
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
pg_user=$(if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi)
mkdir "$dir/pg" "$dir/pgsock"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pg" "$dir/pgsock"

stop_all() {
	# Whatever already stopped (a person may have stopped an instance
	# by hand) must not keep the rest running.
	set +e
	trap - EXIT INT TERM
	for n in $(seq 1 $instances); do
		[ -f "$dir/madoguchid-$n.pid" ] &&
			kill -TERM "$(cat "$dir/madoguchid-$n.pid")" 2>/dev/null
	done
	for n in $(seq 1 $instances); do
		[ -f "$dir/madoguchid-$n.pid" ] &&
			while kill -0 "$(cat "$dir/madoguchid-$n.pid")" 2>/dev/null; do
				sleep 0.1
			done
	done
	[ -f "$dir/haproxy.pid" ] && kill "$(cat "$dir/haproxy.pid")" 2>/dev/null
	as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1
	return 0
}
trap stop_all EXIT INT TERM

as_pg "$pg_bin/initdb" -D "$dir/pg/data" -A trust -E UTF8 \
	--locale=C.UTF-8 -U "$pg_user" > "$dir/initdb.log"
as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -w -l "$dir/pg/postgres.log" \
	-o "-c listen_addresses='' -c unix_socket_directories=$dir/pgsock" \
	start > /dev/null
as_pg "$pg_bin/psql" -X -q -h "$dir/pgsock" -U "$pg_user" -d postgres \
	-c "CREATE DATABASE madoguchi"
database="postgresql:///madoguchi?host=$dir/pgsock&user=$pg_user"

# Instance 1 makes the certificate; the others serve the same one.
for n in $(seq 1 $instances); do
	mkdir -p "$dir/data-$n"
	{
		echo "data_dir = $dir/data-$n"
		echo "database = $database"
		echo "port = $((18443 + n))"
		echo "mail_dir = $dir/outbox"
		echo "service_name = \"Madoguchi cluster demo\""
		if [ "$n" -gt 1 ]; then
			echo "cert = $dir/data-1/server.pem"
			echo "key = $dir/data-1/server-key.pem"
		fi
	} > "$dir/madoguchid-$n.conf"
	start_instance "$dir" "$n"
	if [ "$n" -eq 1 ]; then
		i=0
		until [ -s "$dir/data-1/server.pem" ] &&
			grep -q listening "$dir/madoguchid-1.log"; do
			i=$((i + 1))
			if [ $i -gt 300 ]; then
				cat "$dir/madoguchid-1.log" >&2
				exit 1
			fi
			sleep 0.1
		done
	fi
done

# TCP mode: TLS goes through to the instances, so the client verifies
# the service's own certificate; haproxy checks each instance's health
# over TLS against the same CA.
cat > "$dir/haproxy.cfg" <<CFG
global
	pidfile $dir/haproxy.pid
	daemon
defaults
	mode tcp
	timeout connect 5s
	timeout client 10m
	timeout server 10m
	retries 2
	option redispatch
frontend madoguchi
	bind 127.0.0.1:18443
	default_backend instances
backend instances
	balance leastconn
	option httpchk GET /api/v1/health
	http-check expect status 200
	default-server check check-ssl verify required ca-file $dir/data-1/ca.pem sni str(localhost) inter 1s fall 2 rise 1
CFG
for n in $(seq 1 $instances); do
	echo "	server m$n 127.0.0.1:$((18443 + n))" >> "$dir/haproxy.cfg"
done
/usr/sbin/haproxy -f "$dir/haproxy.cfg"
sleep 1

user=demo@example.jp
password="Demo-$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" | ./madoguchid --config "$dir/madoguchid-1.conf" \
	user-add "$user" --name "窓口 太郎" >/dev/null

cat <<INFO
madoguchi, three instances
  balancer:   https://127.0.0.1:18443 (haproxy; $dir/haproxy.cfg)
  instances:  127.0.0.1:18444..18446, logs $dir/madoguchid-N.log
  database:   PostgreSQL in $dir/pg
  user ID:    $user
  password:   $password
  mail:       sh scripts/mail.sh $dir   (the shared outbox)
  a rolling restart: kill -TERM \$(cat $dir/madoguchid-2.pid), then
              sh scripts/cluster.sh --restart $dir 2
Press Enter to start the client.
INFO
read -r _ || true

./madoguchi --screens "$top/screens" \
	--server "https://127.0.0.1:18443" --cacert "$dir/data-1/ca.pem" || true
echo "cluster: client closed; stopping everything. Files kept in $dir"
