#!/bin/sh
# Soak test in one command: installs wrk and the sqlite3 shell when missing, builds the release
# preset, then runs bench/soak.py (default 300 s of mixed load; memory sampled every 10 s;
# table in bench/results/soak.md). Arguments go to soak.py, e.g. --seconds 60.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
missing=""
for p in wrk sqlite3; do
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
exec /usr/bin/python3 bench/soak.py --binary build-release/open311d "$@"
