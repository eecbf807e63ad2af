#!/bin/sh
# `make bench`: load tests with wrk against a server of its own (var/bench,
# port $BENCH_PORT, default 8897), Kore's access log off as in production
# (the reverse proxy logs). Prints one line per scenario and appends them to
# bench/results/<date>.txt; docs/benchmarks.md records the figures.
#
#   DURATION=10s CONNS=50 THREADS=2 sh bench/run.sh
#
# The ratios (search ÷ healthz, HTML ÷ healthz) are measured in one run,
# because the machine is shared and absolute numbers drift.
set -eu
. conf/env.sh
unset DATABASE_URL

STATE=var/bench
PORT=${BENCH_PORT:-8897}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
# The shared real data: beside the checkout, or GUREUM_SHARED_DATA.
SHARED=${GUREUM_SHARED_DATA:-../shared/data}
[ -d "$SHARED/gcloud" ] || SHARED=/work/shared/data
DATA=$SHARED/gcloud/search-terms.csv

gureum_setup "$STATE" gureum_bench
build/gureumctl migrate sql >/dev/null
build/gureumctl seed sql/demo >/dev/null
# GENERATE=25000: the synthetic catalog at G-Cloud 2018 scale.
if [ -n "${GENERATE:-}" ]; then
	build/gureumctl generate --listings "$GENERATE" \
	    --vendors "$((GENERATE * 14 / 100))" --seed 1
fi
build/gureumctl reindex "$GUREUM_INDEX"
gureum_stop_kore "$STATE"
ACCESSLOG="" gureum_conf "$STATE" "$PORT" restart
gureum_start_bg "$STATE" "$PORT"
trap 'gureum_stop_kore "$STATE"' EXIT

# Query workloads: the 999 real G-Cloud buyer queries and Korean ones.
node -e '
const fs = require("fs");
const [csv, ko, out] = process.argv.slice(1);
const en = fs.readFileSync(csv, "utf8").split("\n").slice(1).map((s) => s.trim()).filter(Boolean);
const k = fs.readFileSync(ko, "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
const enc = (q) => encodeURIComponent(q);
fs.writeFileSync(out + "/api-en.txt", en.map((q) => "/api/v1/search?q=" + enc(q)).join("\n"));
fs.writeFileSync(out + "/api-ko.txt", k.map((q) => "/api/v1/search?q=" + enc(q)).join("\n"));
fs.writeFileSync(out + "/api-filtered.txt", [...en, ...k].map((q, i) =>
  "/api/v1/search?q=" + enc(q) + "&type=" + ["iaas","paas","saas","daas","support"][i % 5]).join("\n"));
fs.writeFileSync(out + "/html-ko.txt", k.map((q) => "/search?q=" + enc(q)).join("\n"));
fs.writeFileSync(out + "/healthz.txt", "/healthz");
' "$DATA" bench/queries-ko.txt "$STATE"

mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt
docs=$(psql "$GUREUM_DATABASE" -tAc "SELECT count(*) FROM listings WHERE status = 'published'")
echo "# $(date -u) wrk -t$THREADS -c$CONNS -d$DURATION, $docs listings, $(nproc) cores" | tee "$out"

run() {
	name=$1
	line=$(PATHS=$STATE/$2 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" \
	    -s bench/paths.lua "http://127.0.0.1:$PORT" | grep '^RESULT')
	echo "$name ${line#RESULT }" | tee -a "$out"
}

run healthz healthz.txt
run search-api-en api-en.txt
run search-api-ko api-ko.txt
run search-api-filtered api-filtered.txt
run search-html-ko html-ko.txt

# The same filtered, faceted searches done by PostgreSQL full-text search
# (bench/pgfts.sql, bench/pgfts.pgbench), driven by pgbench with the same
# concurrency, straight to the database (no HTTP in its way).
psql "$GUREUM_DATABASE" -q -f bench/pgfts.sql >/dev/null
node -e '
const fs = require("fs");
const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
const rows = lines.map((p) => { const u = new URL("http://x" + p);
  return [u.searchParams.get("q"), u.searchParams.get("type")]; });
process.stdout.write(rows.map(([q, t]) => q.replace(/[\t\n\\]/g, " ") + "\t" + t).join("\n") + "\n");
' "$STATE/api-filtered.txt" | psql "$GUREUM_DATABASE" -q -c "COPY bench_queries (q, type) FROM STDIN"
nq=$(psql "$GUREUM_DATABASE" -tAc "SELECT count(*) FROM bench_queries")
secs=${DURATION%s}
tps=$(pgbench -n -c "$CONNS" -j "$THREADS" -T "$secs" -D nq="$nq" \
    -f bench/pgfts.pgbench "$GUREUM_DATABASE" 2>/dev/null |
    awk '/^tps/ {print int($3)}')
echo "pg-fts-filtered rps=$tps" | tee -a "$out"

# Worker memory after the load.
for pid in $(pgrep -P "$(cat "$STATE/kore.pid")" || true); do
	rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
	echo "worker $pid rss_kb=$rss" | tee -a "$out"
done

awk '/^healthz/ {for (i=1;i<=NF;i++) if ($i ~ /^rps=/) h=substr($i,5)}
     /^search-html-ko/ {for (i=1;i<=NF;i++) if ($i ~ /^rps=/) s=substr($i,5)}
     /^search-api-en/ {for (i=1;i<=NF;i++) if ($i ~ /^rps=/) a=substr($i,5)}
     /^search-api-filtered/ {for (i=1;i<=NF;i++) if ($i ~ /^rps=/) f=substr($i,5)}
     /^pg-fts-filtered/ {for (i=1;i<=NF;i++) if ($i ~ /^rps=/) p=substr($i,5)}
     END {printf "ratio html/healthz=%.2f api-en/healthz=%.2f xapian/pg-fts=%.2f\n",
         s/h, a/h, (p > 0 ? f/p : 0)}' "$out" | tee -a "$out"
