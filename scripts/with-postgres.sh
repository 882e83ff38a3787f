#!/bin/sh
# Runs a command beside a throw-away PostgreSQL 15 cluster: started here, stopped and deleted
# when the command ends (its exit status is this script's). The command finds the cluster in
# OPEN311D_TEST_POSTGRES_URL, a postgresql:// URI of a database it may use freely (the store
# contract tests make a schema of their own in it per test).
#   scripts/with-postgres.sh ctest --test-dir build -L postgres
# The cluster lives in a temporary directory (initdb and pg_ctl, run as the postgres user when
# called as root) and listens on a Unix socket there only, so that several runs at once never
# share a port or a cluster name. Durability is off: the cluster is for tests.
set -eu
if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
# PostgreSQL refuses to run as root: then the cluster belongs to the postgres user.
as_owner=""
if [ "$(id -u)" -eq 0 ]; then
    as_owner="runuser -u postgres --"
fi
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d "${TMPDIR:-/tmp}/open311d-pg-XXXXXX")
[ -z "$as_owner" ] || chown postgres "$dir"
cleanup() {
    $as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
$as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
$as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses='' $settings" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
OPEN311D_TEST_POSTGRES_URL="postgresql:///postgres?host=$dir&user=postgres"
export OPEN311D_TEST_POSTGRES_URL
status=0
"$@" || status=$?
exit "$status"
