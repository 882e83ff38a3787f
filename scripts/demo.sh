#!/bin/sh
# One command for a local instance: install what is missing, build, and serve the demo
# Helsinki catalogue on 127.0.0.1:8080 with an SQLite file in data/.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
mkdir -p data
exec ./build/open311d serve --db data/open311d.db --demo "$@"
