#!/bin/sh
# `make stop`: stops Kore and the private PostgreSQL clusters of `make run`
# and `make test`, by their pid files.
. conf/env.sh
for state in var var/test var/bench; do
	gureum_stop_kore "$state"
	gureum_stop_jobs "$state"
	[ -d "$state/pg" ] && sh conf/pg.sh stop "$state/pg"
done
echo "gureum: stopped"
