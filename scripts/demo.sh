#!/bin/sh
# One command for a local instance: install what is missing, build, and serve the demo
# Helsinki catalogue on 127.0.0.1:8080 with an SQLite file in data/.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
mkdir -p data
# A local instance gets every POST from one address (the developer's client or test suite):
# no per-address rate limit unless one is asked for.
OPEN311_LIMITS_IP_POSTS_PER_MINUTE="${OPEN311_LIMITS_IP_POSTS_PER_MINUTE:-0}"
export OPEN311_LIMITS_IP_POSTS_PER_MINUTE
exec ./build/open311d serve --db data/open311d.db --demo "$@"
