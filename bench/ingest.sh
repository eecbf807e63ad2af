#!/bin/sh
# Usage ingestion benchmark (docs/benchmarks.md, "Usage ingestion"): signed
# batches of 1,000 new records over HTTP from CLIENTS concurrent clients
# for SECONDS, deduplication on as always, against a raw COPY of as many
# rows into the same table, in the same run, on a server of its own
# (var/bench, port $BENCH_PORT, default 8897, access log off).
#
#   CLIENTS=4 SECONDS=10 sh bench/ingest.sh
set -eu
. conf/env.sh
unset DATABASE_URL

STATE=var/bench
PORT=${BENCH_PORT:-8897}
CLIENTS=${CLIENTS:-4}
SECS=${SECONDS_RUN:-${SECONDS:-10}}

gureum_setup "$STATE" gureum_bench
# From an empty database each time, so runs compare.
sh conf/pg.sh recreate "$STATE/pg" gureum_bench >/dev/null
build/gureumctl migrate sql >/dev/null
build/gureumctl seed sql/demo >/dev/null
build/gureumctl keygen "$GUREUM_SIGNING_KEY" >/dev/null
build/gureumctl reindex "$GUREUM_INDEX" >/dev/null
gureum_stop_kore "$STATE"
ACCESSLOG="" gureum_conf "$STATE" "$PORT" restart
gureum_start_bg "$STATE" "$PORT"
trap 'gureum_stop_kore "$STATE"' EXIT

mkdir -p bench/results
out=bench/results/ingest-$(date -u +%Y%m%dT%H%M%SZ).txt
echo "# $(date -u) ingest: $CLIENTS clients, ${SECS}s, $(nproc) cores" | tee "$out"
BASE_URL=http://127.0.0.1:$PORT node bench/ingest.mjs "$CLIENTS" "$SECS" | tee -a "$out"
