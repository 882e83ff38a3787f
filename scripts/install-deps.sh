#!/bin/sh
# Installs the Debian 12 packages open311d needs to build and test, when any is missing.
set -eu
PACKAGES="build-essential cmake pkg-config libboost1.81-dev libsqlite3-dev nlohmann-json3-dev
libpugixml-dev libspdlog-dev libtomlplusplus-dev libcli11-dev libssl-dev zlib1g-dev libgtest-dev curl
python3-aiosmtpd openssl clang"
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
