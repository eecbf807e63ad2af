#!/bin/sh
# `make run`: PostgreSQL, migrations, demo data, search index, then Kore in
# the foreground on http://127.0.0.1:$PORT. Ctrl-C stops Kore and the
# private PostgreSQL cluster; `make stop` does the same from elsewhere.
set -eu
. conf/env.sh

STATE=var
PORT=${PORT:-8888}
gureum_setup "$STATE" gureum

build/gureumctl migrate sql
build/gureumctl seed sql/demo
build/gureumctl reindex "$GUREUM_INDEX"
gureum_conf "$STATE" "$PORT" restart

export GUREUM_DEMO=1
cleanup() {
	trap - INT TERM EXIT
	gureum_stop_kore "$STATE"
	gureum_stop_jobs "$STATE"
	[ -z "${DATABASE_URL:-}" ] && sh conf/pg.sh stop "$STATE/pg"
	echo "gureum: stopped"
}
trap cleanup INT TERM EXIT

gureum_start_jobs "$STATE"
echo "gureum: serving on http://127.0.0.1:$PORT (Ctrl-C stops)"
# Foreground kore, in our process group so Ctrl-C reaches it; we wait so
# the trap can stop PostgreSQL afterwards.
stdbuf -oL -eL kore -f -n -r -c "$STATE/kore.conf" &
kpid=$!
# The demo ledger (docs/demo.md) goes in through the running server's API;
# once loaded, later runs find it and leave it alone. GUREUM_DEMO_LEDGER=0
# skips it.
if [ "${GUREUM_DEMO_LEDGER:-1}" != 0 ]; then
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	BASE_URL=http://127.0.0.1:$PORT node conf/demo-ledger.mjs ||
	    echo "gureum: the demo ledger did not load (see above); serving without it" >&2
fi
wait $kpid || true
