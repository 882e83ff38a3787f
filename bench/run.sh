#!/bin/sh
# The benchmark in one command: installs wrk, nginx, the sqlite3 shell and PostgreSQL when
# missing, builds the release preset, then runs bench/bench.py (seed, load scenarios on SQLite
# and PostgreSQL, nginx ceiling, tables in bench/results/latest.md). Arguments go to bench.py,
# e.g. --count 200000 --runs 1, or --no-postgres.
set -eu
cd "$(dirname "$0")/.."
./bench/prepare.sh
# Debian's python3 (the packages above), whatever else is first on PATH.
exec /usr/bin/python3 bench/bench.py --binary build-release/open311d "$@"
