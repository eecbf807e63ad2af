#!/bin/sh
# `make test`: every test of Gureum, on its own PostgreSQL cluster
# (var/test/pg) and port ($TEST_PORT, default 8899), so it can run beside
# `make run`. Ends with one line "N passed, N failed" and exits non-zero if
# anything failed.
#
#   1. C unit tests (cmocka), one program per tests/unit/test_*.c
#   2. migrations applied to an empty database, twice (idempotent), demo
#      data loaded twice, the search index built
#   3. integration tests (tests/integration, node:test over HTTP) against
#      the real kore with the seccomp sandbox on and worker_death_policy
#      terminate, so a missing syscall or a crash fails the run
#   (TEST_STATE, INTEGRATION=files, BROWSER=files narrow a run while working)
#   4. browser tests (tests/browser, playwright-core driving Debian's
#      chromium), screenshots under tests/artifacts/
set -u
. conf/env.sh
# Tests always use their own cluster: never drop a database someone named.
unset DATABASE_URL

STATE=${TEST_STATE:-var/test}
PORT=${TEST_PORT:-8899}
PASS=0
FAIL=0
FAILED=""
mkdir -p "$STATE" tests/artifacts

ok() {
	PASS=$((PASS + 1))
	echo "ok - $1"
}

not_ok() {
	FAIL=$((FAIL + 1))
	FAILED="$FAILED
  $1"
	echo "not ok - $1"
}

# Adds the counts a runner printed: cmocka's "[  PASSED  ] N test(s)" /
# "[  FAILED  ] N test(s)" or TAP's "# pass N" / "# fail N".
count() {
	name=$1
	log=$2
	rc=$3
	p=$(sed -n -e 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' \
	    -e 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n -e 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' \
	    -e 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# It died or failed outside a test: count that as a failure.
		FAIL=$((FAIL + 1))
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		FAILED="$FAILED
  $name (see $log)"
	fi
	echo "$name: $p passed, $f failed"
}

echo "== unit tests"
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	log=$STATE/$(basename "$t").log
	"$t" >"$log" 2>&1
	count "$(basename "$t")" "$log" $?
done

echo "== database and index"
if ! gureum_setup "$STATE" gureum_test; then
	not_ok "start PostgreSQL"
	echo "$PASS passed, $FAIL failed"
	exit 1
fi
if [ -z "${DATABASE_URL:-}" ]; then
	sh conf/pg.sh recreate "$STATE/pg" gureum_test >/dev/null
fi
if build/gureumctl migrate sql >"$STATE/migrate.log" 2>&1; then
	ok "migrations apply to an empty database"
else
	not_ok "migrations apply to an empty database"; cat "$STATE/migrate.log"
fi
if build/gureumctl migrate sql 2>&1 | grep -q '^migrate: 0 applied'; then
	ok "migrations are not applied twice"
else
	not_ok "migrations are not applied twice"
fi
if build/gureumctl seed sql/demo >/dev/null && build/gureumctl seed sql/demo >/dev/null &&
    [ "$(psql "$GUREUM_DATABASE" -tAc 'SELECT count(*) FROM listings')" = 23 ]; then
	ok "demo data loads twice without duplicates"
else
	not_ok "demo data loads twice without duplicates"
fi
if build/gureumctl reindex "$GUREUM_INDEX" | grep -q '22 listings indexed'; then
	ok "reindex indexes the published listings"
else
	not_ok "reindex indexes the published listings"
fi

echo "== server"
gureum_stop_kore "$STATE"
gureum_conf "$STATE" "$PORT" terminate
export GUREUM_DEMO=1
gureum_start_jobs "$STATE"
if gureum_start_bg "$STATE" "$PORT"; then
	ok "kore starts with the sandbox on"
	export BASE_URL="http://127.0.0.1:$PORT"
	export STATE_DIR="$ROOT/$STATE"

	echo "== integration tests"
	node --test --test-reporter=tap --test-concurrency=1 ${INTEGRATION:-tests/integration/} \
	    >"$STATE/integration.log" 2>&1
	count integration "$STATE/integration.log" $?
	grep -E '^ *not ok' "$STATE/integration.log" | head -20

	echo "== browser tests"
	node --test --test-reporter=tap --test-concurrency=1 ${BROWSER:-tests/browser/} \
	    >"$STATE/browser.log" 2>&1
	count browser "$STATE/browser.log" $?
	grep -E '^ *not ok' "$STATE/browser.log" | head -20

	# Under worker_death_policy terminate a dead worker stops kore.
	if [ -f "$STATE/kore.pid" ] && kill -0 "$(cat "$STATE/kore.pid")" 2>/dev/null &&
	    ! grep -q 'sandbox violation\|worker.*died\|fatal' "$STATE/kore.log"; then
		ok "no worker died during the tests"
	else
		not_ok "no worker died during the tests (see $STATE/kore.log)"
		grep -i 'sandbox\|died\|fatal' "$STATE/kore.log" | head -5
	fi
else
	not_ok "kore starts with the sandbox on (see $STATE/kore.log)"
fi

gureum_stop_kore "$STATE"
gureum_stop_jobs "$STATE"
sh conf/pg.sh stop "$STATE/pg"

if [ "$FAIL" -ne 0 ]; then
	echo "failed:$FAILED"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
