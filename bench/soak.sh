#!/bin/sh
# Soak test in one command: installs wrk and the sqlite3 shell when missing, builds the release
# preset, then runs bench/soak.py (default 300 s of mixed load; memory sampled every 10 s;
# table in bench/results/soak.md). Arguments go to soak.py, e.g. --seconds 60.
set -eu
cd "$(dirname "$0")/.."
./bench/prepare.sh
exec /usr/bin/python3 bench/soak.py --binary build-release/open311d "$@"
