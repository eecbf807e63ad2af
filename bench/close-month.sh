#!/bin/sh
# The month close against the bare aggregation, on the same rows, in the
# same run (docs/benchmarks.md, "Month close"):
#
#   CONTRACTS=10000 RECORDS=10000000 sh bench/close-month.sh
#   REUSE=1 sh bench/close-month.sh     (keep the generated rows of the last
#                                        run, throw its invoices away)
#
# On a database of its own (var/bench-close, recreated each run):
# generates CONTRACTS contracts and RECORDS usage records in MONTH
# (gureumctl generate-usage), VACUUM ANALYZE, then times
#   bare     SELECT contract_id, dimension, sum(quantity_micro) ... GROUP BY
#            (all rows to the client, discarded), before and after
#   draft    close-month in the grace period: every invoice computed and
#            written as a draft
#   same     the same again: computed, nothing written
#   issue    close-month after the grace period: computed, numbered,
#            issued, audited, notified
# and prints each time and its ratio to the mean of the bare runs.
set -eu
. conf/env.sh
unset DATABASE_URL

STATE=var/bench-close
DB=gureum_bench_close
CONTRACTS=${CONTRACTS:-10000}
RECORDS=${RECORDS:-10000000}
MONTH=${MONTH:-2026-10}

gureum_setup "$STATE" "$DB"
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

if [ -n "${REUSE:-}" ]; then
	# The same rows again: the invoices, alerts and their notices go.
	psql -X -q "$GUREUM_DATABASE" -c "ALTER TABLE invoices DISABLE TRIGGER USER" \
	    -c "ALTER TABLE invoice_lines DISABLE TRIGGER USER" \
	    -c "DELETE FROM invoice_lines" -c "DELETE FROM payments" \
	    -c "DELETE FROM invoices" -c "DELETE FROM ceiling_alerts" \
	    -c "UPDATE invoice_sequences SET last_seq = 0" \
	    -c "ALTER TABLE invoices ENABLE TRIGGER USER" \
	    -c "ALTER TABLE invoice_lines ENABLE TRIGGER USER" \
	    -c "SELECT report_cfy_rebuild()" \
	    -c "VACUUM ANALYZE invoices" -c "VACUUM ANALYZE invoice_lines"
	CONTRACTS=$(psql -X -qtA "$GUREUM_DATABASE" -c "SELECT count(*) FROM contracts WHERE client_token LIKE 'gu-%'")
	RECORDS=$(psql -X -qtA "$GUREUM_DATABASE" -c "SELECT count(*) FROM usage_records WHERE month = '$MONTH-01'")
else
	sh conf/pg.sh recreate "$STATE/pg" "$DB" >/dev/null
	build/gureumctl migrate sql >/dev/null
	build/gureumctl seed sql/demo >/dev/null
	t0=$(now)
	build/gureumctl generate-usage --contracts "$CONTRACTS" --records "$RECORDS" --month "$MONTH"
	t1=$(now)
	echo "generate: $(elapsed "$t0" "$t1") s"
fi
psql -X -q "$GUREUM_DATABASE" -c "VACUUM ANALYZE usage_records" -c "VACUUM ANALYZE contracts"
psql -X -qtA "$GUREUM_DATABASE" -c "SELECT 'table: ' || pg_size_pretty(pg_total_relation_size('usage_records'))"

bare() {
	a=$(now)
	psql -X -qtA "$GUREUM_DATABASE" -c "SELECT contract_id, dimension, sum(quantity_micro)
	    FROM usage_records WHERE month = '$MONTH-01' GROUP BY contract_id, dimension" >/dev/null
	b=$(now)
	elapsed "$a" "$b"
}
close() {
	a=$(now)
	build/gureumctl close-month "$MONTH" --now "$1" >"$STATE/close.out"
	b=$(now)
	tail -1 "$STATE/close.out" >&2
	elapsed "$a" "$b"
}

# The month's grace period ends on the 3rd day after it, 24:00 KST.
NEXT=$(psql -X -qtA "$GUREUM_DATABASE" -c "SELECT to_char('$MONTH-01'::date + interval '1 month', 'YYYY-MM')")
bare >/dev/null			# warm the cache
b1=$(bare)
draft=$(close "${NEXT}-02T00:00:00+09:00")
same=$(close "${NEXT}-03T00:00:00+09:00")
issue=$(close "${NEXT}-04T00:00:00+09:00")
b2=$(bare)
mean=$(echo "($b1 + $b2) / 2" | bc -l)
printf 'contracts %s, records %s, month %s\n' "$CONTRACTS" "$RECORDS" "$MONTH"
printf 'bare GROUP BY   %6.2f s, %6.2f s\n' "$b1" "$b2"
for x in draft same issue; do
	eval v=\$$x
	printf 'close (%-5s)   %6.2f s   %.2f x bare\n' "$x" "$v" "$(echo "$v / $mean" | bc -l)"
done
sh conf/pg.sh stop "$STATE/pg" >/dev/null 2>&1 || true
