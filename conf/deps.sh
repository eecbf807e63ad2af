#!/bin/sh
# Installs what Gureum needs and is missing: Debian packages through apt-get
# (only when one is missing, so a second run costs a dpkg query), and the
# npm packages of the browser tests. Nothing else is assumed installed.
set -eu

PKGS="kore libjansson-dev libsodium-dev libxapian-dev libcmark-dev libpq-dev
libcmocka-dev libhpdf-dev libxlsxwriter-dev libcsv-dev fonts-nanum postgresql-15
postgresql-client-15 make gcc g++ chromium wrk poppler-utils
util-linux coreutils curl"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

# Node.js may come from elsewhere than Debian (it does on these machines);
# only install Debian's when there is none at all.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: need root to install Debian packages" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm packages for the browser tests, pinned by package-lock.json.
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "deps: npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi
