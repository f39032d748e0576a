#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the test suite.
#   scripts/pg-throwaway.sh start DIR PORT   -> prints the connection URL
#   scripts/pg-throwaway.sh stop DIR
#   scripts/pg-throwaway.sh pause DIR        -> stops the server, keeps the cluster (a database restart, in the fault suite)
#   scripts/pg-throwaway.sh resume DIR PORT  -> starts it again
# PG_THROWAWAY_OPTS adds server options (the multi-tenant bench loads pg_stat_statements with it).
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?cluster directory}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# initdb refuses to run as root: run the server as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

run_server() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_THROWAWAY_OPTS:-}" \
    start >/dev/null
}

case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    run_server "$port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  pause)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    run_server "${3:?port}"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR | pause DIR | resume DIR PORT" >&2
    exit 2
    ;;
esac
