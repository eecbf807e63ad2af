#!/bin/sh
# bench/reports.sh: every report page on the scale data (docs/benchmarks.md,
# "## Reports"): the synthetic catalog of `gureumctl generate` (25,000
# listings, 3,500 vendors) and bench/ledger.sql (10,000 contracts, a year
# of invoices), on a server of its own (var/bench-reports, port
# $BENCH_PORT, default 8936). Each page is loaded by wrk for $DURATION
# with $CONNS connections (default 2: one per worker, a page's own time),
# signed in as the auditor, and its p50/p95/p99 printed; a second run per
# page uses 8 connections. Those runs mostly hit the report cache (0023);
# before them, $COLD requests per page are timed with the cache emptied
# before each one (the figure for the first reader after a change).
# Appends to bench/results/reports-<date>.txt.
#
#   DURATION=10s sh bench/reports.sh
set -eu
. conf/env.sh
unset DATABASE_URL

STATE=var/bench-reports
PORT=${BENCH_PORT:-8936}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-2}
YEAR=${YEAR:-2025}

gureum_setup "$STATE" gureum_rbench
build/gureumctl migrate sql >/dev/null
build/gureumctl seed sql/demo >/dev/null
have=$(psql "$GUREUM_DATABASE" -tAc "SELECT count(*) FROM listings WHERE external_ref LIKE 'gen:listing:%'")
if [ "$have" -lt 25000 ]; then
	build/gureumctl generate --listings 25000 --vendors 3500 --seed 1
	build/gureumctl reindex "$GUREUM_INDEX" >/dev/null
fi
[ -e "$GUREUM_INDEX" ] || build/gureumctl reindex "$GUREUM_INDEX" >/dev/null
have=$(psql "$GUREUM_DATABASE" -tAc "SELECT count(*) FROM contracts WHERE client_token LIKE 'gen-ledger-%'")
if [ "$have" -ne 10000 ]; then
	psql -X -q -v ON_ERROR_STOP=1 -d "$GUREUM_DATABASE" -v contracts=10000 \
	    -v year="$YEAR" -v seed=1 -f bench/ledger.sql
fi
psql "$GUREUM_DATABASE" -qc 'VACUUM ANALYZE' >/dev/null

gureum_stop_kore "$STATE"
ACCESSLOG="" gureum_conf "$STATE" "$PORT" restart
gureum_start_bg "$STATE" "$PORT"
trap 'gureum_stop_kore "$STATE"' EXIT
BASE=http://127.0.0.1:$PORT

# Sign in through the form: the session cookie for wrk.
jar=$STATE/cookies.txt
csrf=$(curl -s -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&email=auditor%40pps.go.kr&password=Gureum-demo-2026%21" "$BASE/login"
COOKIE=$(awk '$6 == "sid" { print "sid=" $7 }' "$jar")
export COOKIE

mkdir -p bench/results
out=bench/results/reports-$(date -u +%Y%m%dT%H%M%SZ).txt
n=$(psql "$GUREUM_DATABASE" -tAc "SELECT (SELECT count(*) FROM listings) || ' listings, ' || (SELECT count(*) FROM contracts) || ' contracts, ' || (SELECT count(*) FROM invoices WHERE month >= '$YEAR-01-01' AND month < '$((YEAR + 1))-01-01') || ' invoices in $YEAR'")
echo "# $(date -u) wrk -t1 -c$CONNS/-c8 -d$DURATION, $n, $(nproc) cores" | tee "$out"

# Cold: the report computed afresh every time (the cache emptied by a
# version bump before each request), $COLD sequential requests over the
# page's paths; p50 and p95 of curl's total time.
COLD=${COLD:-20}
cold() {
	i=0
	: >"$STATE/cold.txt"
	while [ "$i" -lt "$COLD" ]; do
		for p in "$@"; do
			psql "$GUREUM_DATABASE" -qc 'UPDATE report_version SET n = n + 1' >/dev/null
			curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" \
			    -H 'Accept-Language: ko' "$BASE$p" >>"$STATE/cold.txt"
		done
		i=$((i + 1))
	done
	sort -n "$STATE/cold.txt" | awk '{ a[NR] = $1 } END {
	    p50 = a[int(NR * 0.50 + 0.5)]; p95 = a[int(NR * 0.95 + 0.5)];
	    printf "requests=%d p50_ms=%.1f p95_ms=%.1f max_ms=%.1f\n", NR,
	    p50 * 1000, p95 * 1000, a[NR] * 1000 }'
}

# ONLY="spend sme": measure only those pages.
run() {
	name=$1
	shift
	case " ${ONLY:-$name} " in *" $name "*) ;; *) return 0 ;; esac
	printf '%s\n' "$@" >"$STATE/paths.txt"
	echo "$name cold $(cold "$@")" | tee -a "$out"
	for c in "$CONNS" 8; do
		line=$(PATHS=$STATE/paths.txt wrk -t1 -c"$c" -d"$DURATION" \
		    -s bench/reports.lua "$BASE" | grep '^RESULT')
		echo "$name c=$c ${line#RESULT }" | tee -a "$out"
	done
}

run healthz /healthz
run spend "/reports/spend?fy=$YEAR" "/reports/spend?fy=$YEAR&agency_type=central" "/reports/spend?fy=$YEAR&type=saas"
run spend-api "/api/v1/reports/spend?fy=$YEAR"
run sme "/reports/sme?fy=$YEAR" "/reports/sme?fy=$YEAR&type=iaas"
run contracts "/reports/contracts?fy=$YEAR" "/reports/contracts?fy=$YEAR&agency_type=basic"
run ceilings "/reports/ceilings?fy=$YEAR" "/reports/ceilings?fy=$YEAR&agency_type=institution"
run certificates "/reports/certificates" "/reports/certificates?type=saas"
run catalog "/reports/catalog" "/reports/catalog?fy=$YEAR"
run vendor-stats "/vendor/stats?fy=$YEAR" "/vendor/stats?fy=$YEAR&vendor=5"
run transparency "/transparency?fy=$YEAR" "/transparency?fy=$YEAR&agency_type=central"
run index "/reports"
