#!/bin/sh
# Installs the Debian 12 packages open311d needs to build and test, when any is missing.
# libclang-rt-14-dev (the sanitizer and libFuzzer runtimes of the ci preset) is only a
# recommendation of clang, and recommendations are not installed here: it is named itself.
# lld links the ci preset's large sanitizer binaries about four times faster than GNU ld.
set -eu
# --server: only what building the server needs (scripts/demo.sh), not the tests' tools.
PACKAGES="build-essential cmake pkg-config libboost1.81-dev libsqlite3-dev nlohmann-json3-dev
libpugixml-dev libspdlog-dev libtomlplusplus-dev libcli11-dev libssl-dev zlib1g-dev libsodium-dev
libkainjow-mustache-dev libjs-leaflet libpq-dev"
if [ "${1:-}" != "--server" ]; then
    PACKAGES="$PACKAGES libgtest-dev curl python3-aiosmtpd openssl clang libclang-rt-14-dev lld gdal-bin
postgresql postgresql-common python3-jsonschema prometheus"
    # The staff console's browser tests (tests/browser/): Chromium, its WebDriver, selenium; npm
    # for axe-core and the OpenAPI lint (a Node.js from elsewhere that brings its own npm is used
    # as it is).
    PACKAGES="$PACKAGES chromium chromium-driver python3-selenium"
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
if [ "${1:-}" != "--server" ]; then
    # Test-only: axe-core, pinned in tests/browser/package-lock.json; again only when it changed.
    browser="$(dirname "$0")/../tests/browser"
    if ! cmp -s "$browser/package-lock.json" "$browser/node_modules/.installed-lock.json"; then
        (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$browser/package-lock.json" "$browser/node_modules/.installed-lock.json"
    fi
    # Test-only: Redocly lints the served OpenAPI document (ctest -R openapi.lint), pinned in
    # tests/openapi/package-lock.json.
    openapi="$(dirname "$0")/../tests/openapi"
    if ! cmp -s "$openapi/package-lock.json" "$openapi/node_modules/.installed-lock.json"; then
        (cd "$openapi" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$openapi/package-lock.json" "$openapi/node_modules/.installed-lock.json"
    fi
fi
