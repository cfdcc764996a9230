#!/usr/bin/env bash
# `make reliability`: the portal under load and faults, measured, on servers of its own.
#
#   scripts/reliability.sh              the whole run (default)
#   scripts/reliability.sh start|stop   start or stop the private PostgreSQL and Redis (development)
#   scripts/reliability.sh pg-restart | redis-stop | redis-start
#                                       the fault injectors of reliability/faults.py (private servers only)
#
# Everything runs on loopback against a PostgreSQL 15 cluster and a redis-server that this script
# starts itself (never the machine's services): the cluster lives in var/reliability/pg and is kept
# between runs (the sample catalogue is built once), Redis keeps nothing. Both stop at the end.
#
# Settings (environment variables, all optional):
#   RELIABILITY_SIZE            sample datasets in the catalogue (default 10000; built once, ~10 min per 10,000)
#   RELIABILITY_DURATION        seconds of the load phase (default 180)
#   RELIABILITY_CLIENTS         concurrent anonymous clients (default 20)
#   RELIABILITY_THINK_MS        mean pause of a client between two requests, ms (default 1000)
#   RELIABILITY_MIX             anonymous request mix, KIND=WEIGHT,... (default search_page=35,search_api=20,
#                               dataset_page=30,catalog_page=5,home=10)
#   RELIABILITY_SERVER_PROCESSES  web server processes, each multi-threaded (default 6: three per core)
#   RELIABILITY_HARVEST_FILES   files of each harvest source (default 200)
#   RELIABILITY_FAULTS          scenarios to run (default "pg redis harvest-kill"; "" for none)
#   RELIABILITY_TIMEOUT         limit of the run once the catalogue exists (default 15m)
#   RELIABILITY_BUILD_TIMEOUT   limit of building the catalogue (default 60m)
#   RELIABILITY_PG_PORT (55432: the private cluster's unix socket in var/reliability/run, no TCP),
#   RELIABILITY_REDIS_PORT (26379), RELIABILITY_WEB_PORT (25080), RELIABILITY_FILES_PORT (25081)
# Writes var/reliability/report.json; exits 1 when a target is missed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# TCP ports below the kernel's ephemeral range (32768-60999), where a client socket of another
# program cannot hold them; PostgreSQL listens on a unix socket only (its port names the socket).
: "${RELIABILITY_PG_PORT:=55432}"
: "${RELIABILITY_REDIS_PORT:=26379}"
: "${RELIABILITY_WEB_PORT:=25080}"
: "${RELIABILITY_FILES_PORT:=25081}"
: "${RELIABILITY_SIZE:=10000}"
export RELIABILITY_PG_PORT RELIABILITY_REDIS_PORT RELIABILITY_WEB_PORT RELIABILITY_FILES_PORT RELIABILITY_SIZE
# lib.sh's helpers (redis_part, run_ckan) then aim at the private servers only.
export QUITO_DB_USER=ckan_quito
export RELIABILITY_DB=ckan_quito_reliability RELIABILITY_RUN=$ROOT/var/reliability/run
export QUITO_REDIS_URL=redis://127.0.0.1:$RELIABILITY_REDIS_PORT/0
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
# CKAN reads these over the ini file: unset, they could aim at another database.
unset CKAN_SQLALCHEMY_URL CKAN_REDIS_URL CKAN_INI

DIR=$ROOT/var/reliability
PGDATA=$DIR/pg
RUN=$RELIABILITY_RUN
INI=$DIR/reliability.ini
DB=$RELIABILITY_DB
PGBIN=${RELIABILITY_PGBIN:-/usr/lib/postgresql/15/bin}

# Commands on the cluster's files run as its owner (initdb refuses root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Unix socket only (no TCP listener): nothing else on the machine can reach it or take its port.
pg_opts() { echo "-p $RELIABILITY_PG_PORT -k $RUN -c listen_addresses= -c max_connections=100"; }

private_db_url() { echo "postgresql://$QUITO_DB_USER@/$DB?host=$RUN&port=$RELIABILITY_PG_PORT"; }

pg_running() { [ -f "$PGDATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

pg_init() {
  mkdir -p "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PGDATA"; fi
  chmod 700 "$PGDATA"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { tail -20 "$DIR/initdb.log" >&2; die "initdb failed"; }
  echo "private cluster created in $PGDATA"
}

# The server's own files (sockets, log) must be writable by the cluster's owner.
pg_files() {
  mkdir -p "$RUN"; touch "$DIR/pg.log"
  if [ "$(id -u)" = 0 ]; then chown postgres "$RUN" "$DIR/pg.log"; fi
}

pg_start() {
  [ -f "$PGDATA/PG_VERSION" ] || pg_init
  pg_files
  if pg_running; then echo "private PostgreSQL already running (socket $RUN, port $RELIABILITY_PG_PORT)"; return; fi
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$DIR/pg.log" -w -t 60 -o "$(pg_opts)" start >/dev/null \
    || { tail -20 "$DIR/pg.log" >&2; die "private PostgreSQL did not start"; }
  echo "private PostgreSQL 15 on socket $RUN/.s.PGSQL.$RELIABILITY_PG_PORT (data $PGDATA)"
}

pg_stop() { pg_running && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true; }

pg_restart() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$DIR/pg.log" -m fast -w -t 60 -o "$(pg_opts)" restart >/dev/null
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$RELIABILITY_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_start() {
  if redis_ping; then echo "private Redis already running (port $RELIABILITY_REDIS_PORT)"; return; fi
  port_busy "$RELIABILITY_REDIS_PORT" && die "port $RELIABILITY_REDIS_PORT is taken (set RELIABILITY_REDIS_PORT)"
  mkdir -p "$RUN"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$RELIABILITY_REDIS_PORT" --save "" --appendonly no \
    --dir "$RUN" --pidfile "$RUN/redis.pid" --logfile "$DIR/redis.log"
  for _ in $(seq 40); do redis_ping && { echo "private Redis on 127.0.0.1:$RELIABILITY_REDIS_PORT"; return; }; sleep 0.25; done
  die "private Redis did not start"
}

redis_stop() { redis_ping && redis-cli -h 127.0.0.1 -p "$RELIABILITY_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

stop_servers() { redis_stop; pg_stop; echo "private PostgreSQL and Redis stopped"; }

psql_private() { psql -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$RELIABILITY_PG_PORT" -U postgres "$@"; }

ensure_private_database() {
  psql_private -d postgres -tA -c "select 1 from pg_roles where rolname='$QUITO_DB_USER'" | grep -q 1 \
    || psql_private -d postgres -c "create role $QUITO_DB_USER login password '$QUITO_DB_PASSWORD'"
  psql_private -d postgres -tA -c "select 1 from pg_database where datname='$DB'" | grep -q 1 \
    || psql_private -d postgres -c "create database $DB owner $QUITO_DB_USER encoding 'utf8' template template0"
  psql_private -d "$DB" -c "create extension if not exists unaccent; create extension if not exists pg_trgm"
  echo "role $QUITO_DB_USER and database $DB ready (private cluster)"
}

# test.ini pointed at the private cluster and Redis, with the harvesters; testing off.
write_config() {
  local plugins url; plugins="$(sed -n 's/^ckan.plugins = //p' test.ini) harvest quito_files"
  url=$(private_db_url)
  sed -e "s|^sqlalchemy.url = .*|sqlalchemy.url = ${url//&/\\&}|" \
      -e "s|^ckan.redis.url = .*|ckan.redis.url = $QUITO_REDIS_URL\\
ckan.harvest.mq.type = redis\\
ckan.harvest.mq.hostname = $(redis_part host)\\
ckan.harvest.mq.port = $(redis_part port)\\
ckan.harvest.mq.redis_db = $(redis_part db)|" \
      -e "s|^ckan.plugins = .*|ckan.plugins = $plugins\\
ckan.views.default_views =|" \
      -e "s|^ckan.site_id = .*|ckan.site_id = reliability.quito|" \
      -e "s|^ckan.site_url = .*|ckan.site_url = http://127.0.0.1:$RELIABILITY_WEB_PORT|" \
      -e "s|^ckan.storage_path = .*|ckan.storage_path = $DIR/storage|" \
      -e "s|^testing = .*|testing = false|" \
      test.ini > "$INI.tmp"
  # Self-check: never the machine's PostgreSQL or Redis.
  grep -qF "sqlalchemy.url = $(private_db_url)" "$INI.tmp" || die "could not point $INI at the private cluster"
  grep -q "^ckan.redis.url = redis://127.0.0.1:$RELIABILITY_REDIS_PORT/" "$INI.tmp" || die "could not point $INI at the private Redis"
  mv "$INI.tmp" "$INI"
  echo "wrote $INI"
}

run_all() {
  command -v redis-server >/dev/null || die "redis-server is not installed"
  [ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 binaries not found in $PGBIN"
  mkdir -p "$DIR"
  trap 'step "stopping the private servers"; stop_servers' EXIT
  trap 'exit 130' INT TERM
  step "private servers";   pg_start; redis_start; ensure_private_database
  step "config";            write_config
  step "schema";            run_ckan "$INI" db upgrade >"$DIR/db-upgrade.log" 2>&1 \
                              || { tail -20 "$DIR/db-upgrade.log" >&2; die "ckan db upgrade failed"; }
                            echo "migrations applied"
  step "sample catalogue, $RELIABILITY_SIZE datasets (built once, kept in $PGDATA)"
  timeout --foreground "${RELIABILITY_BUILD_TIMEOUT:-60m}" "$VENV/bin/python" -m reliability.content \
    --config "$INI" --size "$RELIABILITY_SIZE" --state "$DIR/state.json"
  step "load and faults"
  local rc=0
  timeout --foreground "${RELIABILITY_TIMEOUT:-15m}" "$VENV/bin/python" -m reliability.run \
    --config "$INI" --state "$DIR/state.json" --out "$DIR/report.json" || rc=$?
  [ "$rc" = 124 ] && echo "reliability: the run hit RELIABILITY_TIMEOUT (${RELIABILITY_TIMEOUT:-15m})" >&2
  return "$rc"
}

case "${1:-run}" in
  run) run_all ;;
  start) mkdir -p "$DIR"; pg_start; redis_start ;;
  stop) stop_servers ;;
  pg-restart) pg_restart ;;
  redis-stop) redis_stop ;;
  redis-start) redis_start ;;
  *) echo "usage: scripts/reliability.sh [run|start|stop|pg-restart|redis-stop|redis-start]" >&2; exit 2 ;;
esac
