#!/bin/sh
# The benchmark in one command: installs wrk, nginx and the sqlite3 shell when missing,
# builds the release preset, then runs bench/bench.py (seed, load scenarios, nginx ceiling,
# table in bench/results/latest.md). Arguments go to bench.py, e.g. --count 200000 --runs 1.
set -eu
cd "$(dirname "$0")/.."
./bench/prepare.sh
# Debian's python3 (the packages above), whatever else is first on PATH.
exec /usr/bin/python3 bench/bench.py --binary build-release/open311d "$@"
