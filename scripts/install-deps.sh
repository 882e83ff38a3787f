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
postgresql postgresql-common prometheus"
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
