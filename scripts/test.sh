#!/bin/sh
# One command for the whole test suite, as CI runs it: install what is missing, build the `ci`
# preset (clang, AddressSanitizer + UBSan, -Werror, unity build; the tests and the libFuzzer
# targets in one build), run every test beside a throw-away PostgreSQL cluster (the store
# contract runs on PostgreSQL too: scripts/with-postgres.sh), then run each fuzz target briefly.
# OPEN311_FUZZ_SECONDS sets the seconds per fuzz target (default 10; 0 skips the fuzz runs).
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build build-ci -j "$(nproc)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ./scripts/with-postgres.sh ctest --test-dir build-ci --output-on-failure -j "$(nproc)" \
    --timeout 300
fuzz_seconds="${OPEN311_FUZZ_SECONDS:-10}"
if [ "$fuzz_seconds" -gt 0 ]; then
    ./scripts/fuzz.sh "$fuzz_seconds"
fi
