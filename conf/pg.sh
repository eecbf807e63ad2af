#!/bin/sh
# Manages a private PostgreSQL 15 cluster for Gureum.
#
#   pg.sh start DIR DBNAME    create (first time) and start the cluster in DIR,
#                             create DBNAME if missing; prints the conninfo
#   pg.sh stop DIR            stop it (fast shutdown), by the postmaster's pid
#   pg.sh recreate DIR DBNAME drop and create DBNAME (tests start from empty)
#
# initdb and postgres refuse to run as root, so both run as the `postgres`
# user. The cluster listens on a unix socket in DIR only (no TCP) and trusts
# local connections: the socket directory is private to the machine's root
# and postgres users. If postgres cannot reach DIR (a checkout under a
# private home directory), DIR becomes a symlink to a directory under
# /var/tmp that it can reach, and everything else stays the same.
set -eu

PGBIN=/usr/lib/postgresql/15/bin
cmd=$1
dir=$2
db=${3:-gureum}

mkdir -p "$(dirname "$dir")"
absdir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

psql_q() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$absdir" -U gureum "$@"
}

case "$cmd" in
start)
	if [ ! -e "$absdir" ]; then
		mkdir -p "$absdir"
		if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$absdir"; then
			rmdir "$absdir"
			alt=/var/tmp/gureum-pg-$(echo "$absdir" | cksum | cut -d' ' -f1)
			mkdir -p "$alt"
			ln -s "$alt" "$absdir"
		fi
		[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$absdir/."
	fi
	if [ ! -f "$absdir/data/PG_VERSION" ]; then
		echo "pg: initdb in $dir"
		as_pg "$PGBIN/initdb" -D "$absdir/data" -U gureum --auth=trust \
		    -E UTF8 --locale=C.UTF-8 >"$absdir/initdb.log" 2>&1 ||
		    { cat "$absdir/initdb.log" >&2; exit 1; }
	fi
	if ! as_pg "$PGBIN/pg_ctl" -D "$absdir/data" status >/dev/null 2>&1; then
		rm -f "$absdir/data/postmaster.pid"
		as_pg "$PGBIN/pg_ctl" -D "$absdir/data" -l "$absdir/server.log" \
		    -w -t 60 -o "-c listen_addresses='' -k $absdir \
		    -c unix_socket_permissions=0700 -c fsync=on \
		    -c max_connections=200 -c shared_buffers=256MB" \
		    start >/dev/null ||
		    { tail -20 "$absdir/server.log" >&2; exit 1; }
	fi
	if ! psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
		psql_q -d postgres -c "CREATE DATABASE $db"
	fi
	;;
recreate)
	psql_q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
	psql_q -d postgres -c "CREATE DATABASE $db"
	;;
stop)
	if [ -f "$absdir/data/postmaster.pid" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$absdir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	;;
*)
	echo "usage: pg.sh start|stop|recreate DIR [DBNAME]" >&2
	exit 2
	;;
esac
