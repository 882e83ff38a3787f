#!/bin/sh
# The benchmark in one command: installs wrk, nginx and the sqlite3 shell when missing,
# builds the release preset, then runs bench/bench.py (seed, load scenarios, nginx ceiling,
# table in bench/results/latest.md). Arguments go to bench.py, e.g. --count 200000 --runs 1.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
missing=""
for p in wrk nginx-light sqlite3 python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
cmake --preset release >/dev/null
cmake --build build-release -j"$(nproc)" --target open311d
# Debian's python3 (the packages above), whatever else is first on PATH.
exec /usr/bin/python3 bench/bench.py --binary build-release/open311d "$@"
