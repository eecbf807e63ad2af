#!/bin/sh
# bench/search.sh (run after `make build`): the search benchmark of the search
# issue on the generated 25,000-listing catalog, in one run:
#
#  - /api/v1/search replaying the 999 real G-Cloud buyer queries, the
#    Korean queries, and both again with filters, facets on (wrk, 50
#    connections: req/s, p50, p90, p99, worker CPU per request);
#  - the same filtered, faceted searches answered by PostgreSQL full-text
#    search (bench/search-fts.sql, bench/search-fts.pgbench) at the same
#    concurrency, for the throughput ratio;
#  - the HTML result page against /healthz;
#  - the Kore workers' resident memory, sampled during the whole run (peak).
#
#   DURATION=10s CONNS=50 THREADS=2 BENCH_PORT=8912 sh bench/search.sh
#
# The catalog (gureumctl generate) and its index are built on the first run
# into var/bench and kept; GENERATE=n changes the size, REGENERATE=1 builds
# it again, REINDEX=1 rebuilds only the index (also done by itself when the
# indexer, the slots, xsearch.h or a migration changed since the index was
# built; a change to the writer in xsearch.cc needs REINDEX=1).
# Prints one line per scenario and the targets, and keeps everything in
# bench/results/search-<time>.txt; docs/benchmarks.md records the figures.
set -eu
. conf/env.sh
unset DATABASE_URL

STATE=var/bench
PORT=${BENCH_PORT:-8912}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
GENERATE=${GENERATE:-25000}
SHARED=${GUREUM_SHARED_DATA:-../shared/data}
[ -d "$SHARED/gcloud" ] || SHARED=/work/shared/data
DATA=$SHARED/gcloud/search-terms.csv

gureum_setup "$STATE" gureum_bench
# A migration edited since it was applied (a branch in progress) would
# leave the database behind the code: then start from an empty one.
sqlstamp=$(cat sql/*.sql | sha256sum | cut -c1-16)
if [ "$(cat "$STATE/sql.stamp" 2>/dev/null)" != "$sqlstamp" ]; then
	sh conf/pg.sh recreate "$STATE/pg" gureum_bench
	rm -f "$STATE/index.stamp"
fi
build/gureumctl migrate sql >/dev/null
echo "$sqlstamp" >"$STATE/sql.stamp"
build/gureumctl seed sql/demo >/dev/null
have=$(psql "$GUREUM_DATABASE" -tAc \
    "SELECT count(*) FROM listings WHERE external_ref LIKE 'gen:listing:%'")
stamp=$(cat app/ctl_index.c app/search_slots.h search/xsearch.h \
    sql/*.sql | sha256sum | cut -c1-16)
if [ "$have" != "$GENERATE" ] || [ -n "${REGENERATE:-}" ]; then
	build/gureumctl generate --listings "$GENERATE" \
	    --vendors "$((GENERATE * 14 / 100))" --seed 1
	REINDEX=1
fi
if [ -n "${REINDEX:-}" ] || [ ! -e "$GUREUM_INDEX" ] ||
    [ "$(cat "$STATE/index.stamp" 2>/dev/null)" != "$stamp" ]; then
	build/gureumctl reindex "$GUREUM_INDEX"
	echo "$stamp" >"$STATE/index.stamp"
fi
gureum_stop_kore "$STATE"
ACCESSLOG="" gureum_conf "$STATE" "$PORT" restart
gureum_start_bg "$STATE" "$PORT"
sampler=
trap 'gureum_stop_kore "$STATE"; [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true' EXIT

node bench/search-queries.mjs "$DATA" bench/queries-ko.txt "$STATE"

# Every path must answer 200: a 400 (a filter the route does not know)
# would measure the error page. Checked once, before the clock runs.
node -e '
const fs = require("fs");
const [port, dir] = process.argv.slice(1);
const paths = ["api-en", "api-ko", "api-filtered", "html"].flatMap((f) =>
  fs.readFileSync(dir + "/" + f + ".txt", "utf8").split("\n").filter(Boolean));
(async () => {
  let bad = 0;
  for (let i = 0; i < paths.length; i += 20) {
    await Promise.all(paths.slice(i, i + 20).map(async (p) => {
      const r = await fetch("http://127.0.0.1:" + port + p,
        { headers: { "Accept-Language": "ko" } });
      await r.arrayBuffer();
      if (r.status !== 200) { bad++; console.error("bench: " + r.status + " for " + p); }
    }));
  }
  if (bad) { console.error("bench: " + bad + " paths do not answer 200"); process.exit(1); }
  console.log("checked: " + paths.length + " paths answer 200");
})();
' "$PORT" "$STATE"

mkdir -p bench/results
out=bench/results/search-$(date -u +%Y%m%dT%H%M%SZ).txt
docs=$(curl -s "http://127.0.0.1:$PORT/healthz" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
	const h=JSON.parse(s);console.log(h.index && h.index.documents)})')
{
	echo "# $(date -u) bench/search.sh: wrk -t$THREADS -c$CONNS -d$DURATION," \
	    "$docs indexed listings, $(nproc) cores, ${WORKERS:-2} workers"
	echo "# load before: $(uptime)"
	echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet || echo +dirty)"
} | tee "$out"

# Worker memory: every Kore worker's VmRSS sampled every 200 ms for the
# whole run; the peak per worker is reported at the end (and VmHWM, the
# kernel's own peak since the worker started).
kpid=$(cat "$STATE/kore.pid")
workers=$(pgrep -P "$kpid" | tr '\n' ' ')
(
	while :; do
		for pid in $workers; do
			awk -v p="$pid" '/^VmRSS/ {print p, $2}' \
			    "/proc/$pid/status" 2>/dev/null || true
		done
		sleep 0.2
	done
) >"$STATE/rss.samples" &
sampler=$!

# CPU time of the workers (user + system, clock ticks), for the cost of a
# request that does not depend on what else the machine is doing.
ticks() {
	t=0
	for pid in $workers; do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
	done
	echo "$t"
}

run() {
	name=$1
	t0=$(ticks)
	line=$(PATHS=$STATE/$2 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" \
	    -s bench/paths.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
	t1=$(ticks)
	n=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
	cpu=$(awk -v t="$((t1 - t0))" -v n="$n" -v hz="$(getconf CLK_TCK)" \
	    'BEGIN {printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0)}')
	echo "$name paths=$(wc -l <"$STATE/$2") ${line#RESULT } worker_cpu_us=$cpu" |
	    tee -a "$out"
}

run healthz healthz.txt
run search-api-en api-en.txt
run search-api-ko api-ko.txt
run search-api-filtered api-filtered.txt
run search-html html.txt

# The same filtered, faceted searches by PostgreSQL full-text search, with
# pgbench at the same concurrency, straight to the database (no HTTP, no
# JSON in its way): each transaction is one search of the same list, as a
# prepared statement (planned once per connection, not once per search).
psql "$GUREUM_DATABASE" -q -f bench/search-fts.sql >/dev/null
psql "$GUREUM_DATABASE" -q -c "COPY bench_queries (q, types, categories,
    certs, csap, valid, domestic, trial, sizes, avail, price_min, price_max,
    runs_on, deploys) FROM STDIN" \
    <"$STATE/pg-queries.tsv"
nq=$(psql "$GUREUM_DATABASE" -tAc "SELECT count(*) FROM bench_queries")
secs=${DURATION%s}
# PostgreSQL's CPU time: its backends exit when pgbench disconnects, and
# the postmaster then holds their time as its children's (cutime, cstime).
pm=$(head -1 "$STATE/pg/data/postmaster.pid")
pgticks() {
	awk '{print $16 + $17}' "/proc/$pm/stat"
}
p0=$(pgticks)
pgbench -n -M prepared -c "$CONNS" -j "$THREADS" -T "$secs" -D nq="$nq" -r \
    -f bench/search-fts.pgbench "$GUREUM_DATABASE" >"$STATE/pgbench.out" 2>&1 ||
    { cat "$STATE/pgbench.out" >&2; exit 1; }
sleep 1
p1=$(pgticks)
awk -v n="$nq" -v t="$((p1 - p0))" -v hz="$(getconf CLK_TCK)" \
    '/^number of transactions actually processed/ {x=$NF}
    /^tps/ {tps=int($3)} /^latency average/ {lat=$4}
    END {printf "pg-fts-filtered paths=%d requests=%d rps=%d avg_ms=%s pg_cpu_us=%.0f\n",
	n, x, tps, lat, (x > 0 ? t / hz * 1e6 / x : 0)}' \
    "$STATE/pgbench.out" | tee -a "$out"

kill "$sampler" 2>/dev/null || true
sampler=
for pid in $workers; do
	peak=$(awk -v p="$pid" '$1 == p && $2 > m {m = $2} END {print m + 0}' \
	    "$STATE/rss.samples")
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
	echo "worker pid=$pid peak_rss_kb=$peak vmhwm_kb=$hwm" | tee -a "$out"
done
echo "# load after: $(uptime)" | tee -a "$out"

awk '
function val(line, key,   i, n, a) {
	n = split(line, a, " ")
	for (i = 1; i <= n; i++)
		if (index(a[i], key "=") == 1)
			return substr(a[i], length(key) + 2)
	return 0
}
$1 == "healthz" { h = val($0, "rps") }
$1 == "search-html" { s = val($0, "rps") }
$1 == "search-api-filtered" { f = val($0, "rps") }
$1 ~ /^search-api/ { p = val($0, "p99_ms"); if (p + 0 > p99 + 0) p99 = p }
$1 == "pg-fts-filtered" { g = val($0, "rps"); gc = val($0, "pg_cpu_us") }
$1 == "search-api-filtered" { fc = val($0, "worker_cpu_us") }
$1 == "worker" { r = val($0, "peak_rss_kb"); if (r + 0 > rss + 0) rss = r }
END {
	printf "ratio html/healthz=%.2f xapian/pg-fts=%.1f\n", s / h, (g > 0 ? f / g : 0)
	# The same ratio per CPU second of the server processes (Kore
	# workers; PostgreSQL backends), which the other load of the machine
	# does not skew: 50 backends outweigh 2 workers for the scheduler.
	printf "ratio per cpu: xapian/pg-fts=%.1f (pg %s us, kore %s us a search)\n",
	    (fc > 0 ? gc / fc : 0), gc, fc
	printf "target api p99 <= 5 ms: %s (worst %s ms)\n", (p99 + 0 <= 5 ? "met" : "MISSED"), p99
	printf "target xapian >= 10x pg-fts: %s (%.1fx; per CPU second %.1fx)\n", (g > 0 && f / g >= 10 ? "met" : "MISSED"), (g > 0 ? f / g : 0), (fc > 0 ? gc / fc : 0)
	printf "target html >= 0.30 healthz: %s (%.2f)\n", (s / h >= 0.30 ? "met" : "MISSED"), s / h
	printf "target worker rss <= 64 MB: %s (peak %.1f MB)\n", (rss / 1024 <= 64 ? "met" : "MISSED"), rss / 1024
}' "$out" | tee -a "$out"
