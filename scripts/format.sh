#!/bin/sh
# Formats every C++ file with clang-format 14 (the version the style is checked with).
# --check reports unformatted files and exits non-zero instead of rewriting them.
set -eu
cd "$(dirname "$0")/.."
FORMAT=${CLANG_FORMAT:-clang-format}
"$FORMAT" --version | grep -q "version 14\." || { echo "clang-format 14 required" >&2; exit 2; }
FILES=$(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = "--check" ]; then
    exec "$FORMAT" --dry-run --Werror $FILES
fi
exec "$FORMAT" -i $FILES
