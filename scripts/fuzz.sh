#!/bin/sh
# Builds the libFuzzer targets (the `ci` preset: clang, ASan + UBSan) into build-ci/ and runs
# each one for SECONDS (default 20) over its seed corpus in fuzz/corpus/. A crash, a hang
# (-timeout=10) or a sanitizer report stops the run with the reproducer in
# build-ci/fuzz/<target>-crash-*.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-20}"
[ $# -gt 0 ] && shift
cmake --preset ci -DOPEN311_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build build-ci --target fuzz_targets -j "$(nproc)"
targets="$*"
[ -n "$targets" ] || targets="fuzz_query fuzz_form_body fuzz_multipart fuzz_datetime fuzz_attributes fuzz_accept fuzz_route fuzz_initiatives"
for t in $targets; do
    echo "== $t: ${seconds} s"
    rm -f build-ci/fuzz/"$t"-*
    cmake --build build-ci --target "fuzz-$t" 2>&1 | grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY|Done)" || true
    # A finding leaves an artifact; fail on it (the run's output above shows the report).
    if ls build-ci/fuzz/"$t"-* >/dev/null 2>&1; then
        echo "$t found a problem:" build-ci/fuzz/"$t"-*
        exit 1
    fi
done
