#!/bin/sh
# One command for the whole test suite, as CI runs it: install what is missing, build with
# AddressSanitizer + UBSan (the dev preset, -Werror), run every test, then run each fuzz target
# briefly. OPEN311_FUZZ_SECONDS=0 skips the fuzz runs.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build build-dev -j "$(nproc)"
(
    cd build-dev
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --output-on-failure -j "$(nproc)" --timeout 300
)
fuzz_seconds="${OPEN311_FUZZ_SECONDS:-15}"
if [ "$fuzz_seconds" -gt 0 ]; then
    ./scripts/fuzz.sh "$fuzz_seconds"
fi
