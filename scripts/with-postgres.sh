#!/bin/sh
# Runs a command beside a throw-away PostgreSQL 15 cluster: started here, stopped and deleted
# when the command ends (its exit status is this script's). The command finds the cluster in
# OPEN311D_TEST_POSTGRES_URL, a postgresql:// URI of a database it may use freely (the store
# contract tests make a schema of their own in it per test).
#   scripts/with-postgres.sh ctest --test-dir build -L postgres
# As root it uses pg_virtualenv (postgresql-common); otherwise initdb and pg_ctl in a temporary
# directory, listening on a Unix socket there only. Durability is off: the cluster is for tests.
set -eu
if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
if [ "${OPEN311D_INSIDE_PG_VIRTUALENV:-}" = 1 ]; then
    # pg_virtualenv describes its cluster in PGHOST, PGPORT, PGUSER, PGDATABASE and PGPASSWORD
    # (libpq reads the password from the environment; the URI carries none).
    unset OPEN311D_INSIDE_PG_VIRTUALENV
    OPEN311D_TEST_POSTGRES_URL="postgresql://${PGUSER}@${PGHOST}:${PGPORT}/${PGDATABASE}"
    export OPEN311D_TEST_POSTGRES_URL
    exec "$@"
fi
settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
if [ "$(id -u)" -eq 0 ]; then
    OPEN311D_INSIDE_PG_VIRTUALENV=1 exec pg_virtualenv -v 15 \
        -o fsync=off -o synchronous_commit=off -o full_page_writes=off -o max_connections=300 \
        "$0" "$@"
fi
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d "${TMPDIR:-/tmp}/open311d-pg-XXXXXX")
cleanup() {
    "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
"$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses='' $settings" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
OPEN311D_TEST_POSTGRES_URL="postgresql:///postgres?host=$dir&user=postgres"
export OPEN311D_TEST_POSTGRES_URL
status=0
"$@" || status=$?
exit "$status"
