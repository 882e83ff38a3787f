#!/bin/sh
# Installs the Debian 12 packages open311d needs to build and test, when any is missing.
# libclang-rt-14-dev (the sanitizer and libFuzzer runtimes of the ci preset) is only a
# recommendation of clang, and recommendations are not installed here: it is named itself.
set -eu
# --server: only what building the server needs (scripts/demo.sh), not the tests' tools.
PACKAGES="build-essential cmake pkg-config libboost1.81-dev libsqlite3-dev nlohmann-json3-dev
libpugixml-dev libspdlog-dev libtomlplusplus-dev libcli11-dev libssl-dev zlib1g-dev libsodium-dev
libkainjow-mustache-dev libjs-leaflet libpq-dev"
if [ "${1:-}" != "--server" ]; then
    PACKAGES="$PACKAGES libgtest-dev curl python3-aiosmtpd openssl clang libclang-rt-14-dev gdal-bin
postgresql postgresql-common python3-jsonschema"
    # Node.js runs the OpenAPI lint (tests/openapi/); any installed npm will do.
    command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
fi
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# Test-only npm tools, pinned in tests/openapi/package-lock.json: Redocly lints the served OpenAPI
# document (ctest -R openapi.lint).
OPENAPI_TOOLS="$(dirname "$0")/../tests/openapi"
if [ "${1:-}" != "--server" ] && [ ! -x "$OPENAPI_TOOLS/node_modules/.bin/redocly" ]; then
    (cd "$OPENAPI_TOOLS" && npm ci --no-audit --no-fund --loglevel=error)
fi
