# Sourced by conf/run.sh, tests/run.sh and bench/run.sh: the layout of a
# running Gureum under a state directory ($STATE, e.g. var/ or var/test/).
#
#   $STATE/pg       private PostgreSQL cluster (unless DATABASE_URL is set)
#   $STATE/index    search index (a symlink to the current generation)
#   $STATE/kore.conf, kore.pid, kore.log
#   $STATE/keys/marketplace.key  the marketplace signing key (0600)
#
# gureum_setup STATE DBNAME: starts PostgreSQL if needed, exports
# GUREUM_DATABASE (owner), GUREUM_APP_DATABASE (the server's role),
# GUREUM_INDEX, GUREUM_ASSETS, GUREUM_SIGNING_KEY (created if missing by
# gureumctl keygen, which registers its public key; again before the jobs
# start, for a database migrated after set-up).
# gureum_conf STATE PORT DEATH_POLICY: writes $STATE/kore.conf.

ROOT=$(pwd)
export PATH="/usr/lib/postgresql/15/bin:$PATH"

gureum_setup() {
	state=$1
	dbname=$2
	mkdir -p "$state"
	# gureumctl connects as the owner (migrations, the audit sealer);
	# the web server as gureum_app, which cannot change the audit log.
	if [ -n "${DATABASE_URL:-}" ]; then
		GUREUM_DATABASE=$DATABASE_URL
		GUREUM_APP_DATABASE=${APP_DATABASE_URL:-$DATABASE_URL}
	else
		sh conf/pg.sh start "$state/pg" "$dbname"
		GUREUM_DATABASE="host=$ROOT/$state/pg user=gureum dbname=$dbname"
		GUREUM_APP_DATABASE="host=$ROOT/$state/pg user=gureum_app dbname=$dbname"
	fi
	GUREUM_INDEX=$ROOT/$state/index
	GUREUM_ASSETS=$ROOT/assets
	GUREUM_SIGNING_KEY=${GUREUM_SIGNING_KEY:-$ROOT/$state/keys/marketplace.key}
	export GUREUM_DATABASE GUREUM_APP_DATABASE GUREUM_INDEX GUREUM_ASSETS
	export GUREUM_SIGNING_KEY
	mkdir -p "$(dirname "$GUREUM_SIGNING_KEY")"
	chmod 700 "$(dirname "$GUREUM_SIGNING_KEY")"
	build/gureumctl keygen "$GUREUM_SIGNING_KEY" >/dev/null
}

gureum_conf() {
	state=$1
	sed -e "s|@PORT@|$2|" -e "s|@ROOT@|$ROOT|" -e "s|@VAR@|$ROOT/$state|" \
	    -e "s|@DEATH_POLICY@|$3|" -e "s|@WORKERS@|${WORKERS:-2}|" \
	    -e "s|@PGCONNS@|${PGCONNS:-8}|" \
	    -e "s|@ACCESSLOG@|${ACCESSLOG:-}|" \
	    -e "s|@TASKS@|${TASK_THREADS:-2}|" \
	    conf/gureum.conf.in >"$state/kore.conf"
}

# Starts kore in the background (its own session, line-buffered logs);
# waits until /healthz answers. Returns non-zero if it never does.
gureum_start_bg() {
	state=$1
	port=$2
	setsid stdbuf -oL -eL kore -f -n -r -c "$state/kore.conf" \
	    >"$state/kore.log" 2>&1 &
	i=0
	while [ $i -lt 100 ]; do
		if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "kore did not start; last log lines:" >&2
	tail -20 "$state/kore.log" >&2
	return 1
}

gureum_stop_kore() {
	state=$1
	if [ -f "$state/kore.pid" ]; then
		pid=$(cat "$state/kore.pid")
		kill -TERM "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$pid" 2>/dev/null || true
		rm -f "$state/kore.pid"
	fi
}

# The background jobs beside the server: the search indexer, the audit
# sealer, the certificate expiry job (every $EXPIRE_EVERY seconds,
# default 60; docs/certificates.md) and the month close (every
# $CLOSE_EVERY seconds, default 3600; docs/invoicing.md), each with a pid
# file under $STATE and a log.
gureum_start_jobs() {
	state=$1
	gureum_stop_jobs "$state"
	build/gureumctl keygen "$GUREUM_SIGNING_KEY" >/dev/null
	build/gureumctl indexer "$GUREUM_INDEX" >>"$state/indexer.log" 2>&1 &
	echo $! >"$state/indexer.pid"
	build/gureumctl audit seal --follow >>"$state/sealer.log" 2>&1 &
	echo $! >"$state/sealer.pid"
	build/gureumctl expire-certificates --follow "${EXPIRE_EVERY:-60}" \
	    >>"$state/expiry.log" 2>&1 &
	echo $! >"$state/expiry.pid"
	# EVIDENCE: seals issued invoices as they are issued (docs/evidence.md),
	# once the marketplace key is configured.
	if [ -n "${GUREUM_SIGNING_KEY:-}" ]; then
		build/gureumctl seal-invoices --follow \
		    >>"$state/invoice-sealer.log" 2>&1 &
		echo $! >"$state/invoice-sealer.pid"
	fi
	# The month close (docs/invoicing.md): every $CLOSE_EVERY seconds,
	# default an hour.
	build/gureumctl close-month --follow "${CLOSE_EVERY:-3600}" \
	    >>"$state/close.log" 2>&1 &
	echo $! >"$state/close.pid"
}

gureum_stop_jobs() {
	state=$1
	for job in indexer sealer expiry invoice-sealer close; do
		if [ -f "$state/$job.pid" ]; then
			kill -TERM "$(cat "$state/$job.pid")" 2>/dev/null || true
			rm -f "$state/$job.pid"
		fi
	done
}
