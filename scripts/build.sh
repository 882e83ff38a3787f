#!/bin/sh
# Configures and builds open311d into build/ (the binary is build/open311d).
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPEN311_BUILD_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"
