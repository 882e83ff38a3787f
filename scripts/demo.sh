#!/bin/sh
# One command for a local instance: install what is missing, build the server alone (not the
# tests), and serve the demo Helsinki catalogue on 127.0.0.1:8080 with an SQLite file in data/.
# A demo instance has no POST rate limits unless the environment sets them.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --server
if [ ! -f build/CMakeCache.txt ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPEN311_BUILD_TESTS=OFF >/dev/null
fi
cmake --build build --target open311d -j "$(nproc)"
mkdir -p data
exec ./build/open311d serve --db data/open311d.db --demo "$@"
