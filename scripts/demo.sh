#!/bin/sh
# One command for a local instance: install what is missing, build the server alone (not the
# tests), and serve the demo Helsinki catalogue on 127.0.0.1:8080 with an SQLite file in data/.
# A demo instance has no POST rate limits unless the environment sets them.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --server
if [ ! -f build/CMakeCache.txt ]; then
    # A first build from nothing: a unity build compiles the heavy headers once per batch of
    # files rather than once per file (scripts/build.sh later adds the tests to this tree).
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPEN311_BUILD_TESTS=OFF \
        -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=12 >/dev/null
fi
cmake --build build --target open311d -j "$(nproc)"
mkdir -p data
exec ./build/open311d serve --db data/open311d.db --demo "$@"
