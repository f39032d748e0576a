#!/usr/bin/env bash
# PgBouncer in transaction mode in front of a PostgreSQL on 127.0.0.1, for running the PostgreSQL suite
# through it (needs the Debian package pgbouncer):
#   scripts/pgbouncer-trial.sh start DIR PG_PORT BOUNCER_PORT   -> prints the URL to use as TEST_DATABASE_URL
#   scripts/pgbouncer-trial.sh stop DIR
# Run the suite with DATABASE_PREPARE=off, as the app runs behind it (docs/operations.md). Every database
# name is passed through (the suite creates one per test file). Idle server connections
# close after 2 s, so that the suite can drop its databases.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?directory}
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    pg_port=${3:?PostgreSQL port}
    port=${4:?PgBouncer port}
    mkdir -p "$dir"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
server_idle_timeout = 2
admin_users = postgres
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    echo '"postgres" ""' >"$dir/userlist.txt"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    as_owner pgbouncer -d "$dir/pgbouncer.ini"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    ;;
esac
