#!/bin/sh
# Shared by run.sh and soak.sh: installs what the load tests need when missing (the build
# dependencies, wrk, nginx-light, the sqlite3 shell, PostgreSQL 15 for the benchmark's
# PostgreSQL rows) and builds the release preset.
# Run from the repository root.
set -eu
./scripts/install-deps.sh
missing=""
for p in wrk nginx-light sqlite3 python3 postgresql; do
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
