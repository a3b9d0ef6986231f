#!/usr/bin/env bash
# A throwaway local Citus cluster for tests and CI: a coordinator and two workers on three loopback ports
# (BASE, BASE+1, BASE+2), trust authentication, user postgres. Needs the citus extension installed into
# PostgreSQL 15 (../shared/citus/build.sh). Run as root (the servers run as the postgres user: initdb refuses root)
# or as postgres.
#
#   scripts/citus-cluster.sh start <base port> [dir]   prints the coordinator's URL on its last line
#   scripts/citus-cluster.sh stop  <base port> [dir]
#
# The data directories live under [dir] (default /tmp/eduplan-citus-<base port>); `stop` removes them.
set -euo pipefail
cmd=${1:?usage: citus-cluster.sh start|stop <base port> [dir]}
base=${2:?usage: citus-cluster.sh start|stop <base port> [dir]}
dir=${3:-/tmp/eduplan-citus-$base}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ports=("$base" "$((base + 1))" "$((base + 2))")

as_pg() {
  if [ "$(id -un)" = postgres ]; then (cd / && bash -c "$1"); else su postgres -s /bin/bash -c "cd / && $1"; fi
}
psql_on() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2" >/dev/null; }

case "$cmd" in
  start)
    [ -f "$("$PGBIN/pg_config" --pkglibdir)/citus.so" ] || { echo "citus is not installed (run ../shared/citus/build.sh)" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd -r postgres; chown postgres "$dir"; fi
    for p in "${ports[@]}"; do
      d="$dir/n$p"
      if [ ! -d "$d" ]; then
        as_pg "$PGBIN/initdb -D $d -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
        # Citus must be preloaded; max_prepared_transactions lets it commit across nodes with two-phase commit.
        printf "shared_preload_libraries = 'citus'\nmax_prepared_transactions = 100\nmax_connections = 300\nfsync = off\n" >>"$d/postgresql.conf"
        [ "$(id -u)" = 0 ] && chown postgres "$d/postgresql.conf"
      fi
      as_pg "$PGBIN/pg_ctl -D $d -o '-c listen_addresses=127.0.0.1 -p $p -k $dir' -l $dir/n$p.log -w start >/dev/null"
    done
    for p in "${ports[@]}"; do psql_on "$p" "CREATE EXTENSION IF NOT EXISTS citus"; done
    psql_on "$base" "SELECT citus_set_coordinator_host('127.0.0.1', $base)"
    for p in "${ports[@]:1}"; do psql_on "$base" "SELECT citus_add_node('127.0.0.1', $p)"; done
    echo "postgres://postgres@127.0.0.1:$base/postgres"
    ;;
  stop)
    for p in "${ports[@]}"; do
      [ -d "$dir/n$p" ] && as_pg "$PGBIN/pg_ctl -D $dir/n$p -m fast stop >/dev/null" || true
    done
    rm -rf "$dir"
    ;;
  *) echo "usage: citus-cluster.sh start|stop <base port> [dir]" >&2; exit 2 ;;
esac
