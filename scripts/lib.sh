# Functions of scripts/setup.sh (sourced). Each one checks before it acts.
: "${VENV:=.venv}"
: "${QUITO_DB_HOST:=127.0.0.1}"
: "${QUITO_DB_PORT:=5432}"
: "${QUITO_DB_USER:=ckan_quito}"
: "${QUITO_DB_PASSWORD:=ckan_quito}"
: "${QUITO_DB_NAME:=ckan_quito}"
: "${QUITO_TEST_DB_NAME:=ckan_quito_test}"
# The portal that the DCAT harvest test harvests from runs on its own database.
: "${QUITO_HARVEST_SOURCE_DB:=ckan_quito_harvest_src}"
# The DataStore (table previews, loaded by ckanext-xloader) and its read-only role.
: "${QUITO_DATASTORE_DB:=ckan_quito_datastore}"
: "${QUITO_DATASTORE_RO_USER:=ckan_quito_ro}"
: "${QUITO_DATASTORE_RO_PASSWORD:=ckan_quito_ro}"
: "${PGSUPERUSER:=postgres}"
: "${QUITO_REDIS_URL:=redis://127.0.0.1:6379/0}"
export QUITO_DB_HOST QUITO_DB_PORT QUITO_DB_USER QUITO_DB_PASSWORD QUITO_DB_NAME QUITO_TEST_DB_NAME QUITO_HARVEST_SOURCE_DB
export QUITO_DATASTORE_DB QUITO_DATASTORE_RO_USER QUITO_DATASTORE_RO_PASSWORD

step() { printf '\n== %s\n' "$*"; }
# Run a command with its output in a log, shown only if it fails.
quiet() { local log=$1; shift; "$@" >>"$log" 2>&1 || { tail -40 "$log" >&2; die "failed: $*"; }; }
# psql notices such as "extension already exists, skipping" are noise here.
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
die() { echo "setup: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* (no apt-get); install it and re-run"
  [ -n "$APT_UPDATED" ] || { as_root apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pick_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for c in python3.11 python3; do command -v "$c" >/dev/null && { echo "$c"; return; }; done
  die "no python3 found"
}

install_stamp() { cat requirements/*.txt setup.py | sha256sum | cut -d' ' -f1; }

ensure_venv() {
  [ -x "$VENV/bin/python" ] || "$(pick_python)" -m venv "$VENV"
  local want; want=$(install_stamp)
  if [ "$(cat "$VENV/.quito-install" 2>/dev/null)" = "$want" ] && "$VENV/bin/python" -c "import ckanext.quito_gobiernoabierto" 2>/dev/null; then
    echo "venv up to date ($VENV)"; return
  fi
  local log="$VENV/install.log"
  : > "$log"
  quiet "$log" "$VENV/bin/pip" install -q --upgrade "pip==26.3" "setuptools==84.2.1" "wheel==0.48.0"
  quiet "$log" "$VENV/bin/pip" install -q -c requirements/constraints.txt -r requirements/base.txt -r requirements/test.txt
  quiet "$log" compile_translations
  quiet "$log" "$VENV/bin/pip" install -q -c requirements/constraints.txt --no-deps --no-build-isolation -e .
  echo "installed into $VENV (log: $log)"
  echo "$want" > "$VENV/.quito-install"
}

compile_translations() {
  "$VENV/bin/pybabel" compile -d i18n -D ckanext-quito_gobiernoabierto
}

pg_answers() { pg_isready -q -h "$QUITO_DB_HOST" -p "$QUITO_DB_PORT" 2>/dev/null; }

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_answers; then echo "PostgreSQL answers on $QUITO_DB_HOST:$QUITO_DB_PORT"; return; fi
  case "$QUITO_DB_HOST" in 127.*|localhost) ;; *) die "PostgreSQL at $QUITO_DB_HOST does not answer";; esac
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "installing PostgreSQL"; apt_install postgresql postgresql-contrib
  fi
  local v; v=$(ls /etc/postgresql | sort -n | tail -1)
  [ -n "$v" ] || { as_root pg_createcluster --start "$(ls /usr/lib/postgresql | sort -n | tail -1)" main; v=$(ls /etc/postgresql | sort -n | tail -1); }
  as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || true
  for _ in $(seq 30); do pg_answers && { echo "PostgreSQL started"; return; }; sleep 1; done
  die "PostgreSQL did not start"
}

ensure_redis() {
  local hostport=${QUITO_REDIS_URL#redis://}; hostport=${hostport%%/*}
  local host=${hostport%%:*} port=${hostport##*:}
  if command -v redis-cli >/dev/null && [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = PONG ]; then
    echo "Redis answers on $host:$port"; return
  fi
  command -v redis-server >/dev/null || { echo "installing Redis"; apt_install redis-server; }
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/quito.log
  for _ in $(seq 20); do [ "$(redis-cli -h "$host" -p "$port" ping 2>/dev/null)" = PONG ] && { echo "Redis started"; return; }; sleep 0.5; done
  die "Redis did not start"
}

psql_super() {
  # The superuser may be reached over TCP (trust or PGPASSWORD) or, as root, over the socket.
  if psql -X -q -h "$QUITO_DB_HOST" -p "$QUITO_DB_PORT" -U "$PGSUPERUSER" -d postgres -c 'select 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 -h "$QUITO_DB_HOST" -p "$QUITO_DB_PORT" -U "$PGSUPERUSER" "$@"
  else
    as_root su "$PGSUPERUSER" -s /bin/sh -c "psql -X -q -v ON_ERROR_STOP=1 -p $QUITO_DB_PORT $(printf '%q ' "$@")"
  fi
}

ensure_databases() {
  psql_super -d postgres -tA -c "select 1 from pg_roles where rolname='$QUITO_DB_USER'" | grep -q 1 \
    || psql_super -d postgres -c "create role $QUITO_DB_USER login password '$QUITO_DB_PASSWORD'"
  local db
  for db in "$QUITO_DB_NAME" "$QUITO_TEST_DB_NAME" "$QUITO_HARVEST_SOURCE_DB"; do
    psql_super -d postgres -tA -c "select 1 from pg_database where datname='$db'" | grep -q 1 \
      || psql_super -d postgres -c "create database $db owner $QUITO_DB_USER encoding 'utf8' template template0"
    # Extensions the search engine needs; created by the superuser once.
    psql_super -d "$db" -c "create extension if not exists unaccent; create extension if not exists pg_trgm"
  done
  echo "role $QUITO_DB_USER, databases $QUITO_DB_NAME, $QUITO_TEST_DB_NAME and $QUITO_HARVEST_SOURCE_DB ready"
  ensure_datastore_database
}

ensure_datastore_database() {
  psql_super -d postgres -tA -c "select 1 from pg_roles where rolname='$QUITO_DATASTORE_RO_USER'" | grep -q 1 \
    || psql_super -d postgres -c "create role $QUITO_DATASTORE_RO_USER login password '$QUITO_DATASTORE_RO_PASSWORD'"
  psql_super -d postgres -tA -c "select 1 from pg_database where datname='$QUITO_DATASTORE_DB'" | grep -q 1 \
    || psql_super -d postgres -c "create database $QUITO_DATASTORE_DB owner $QUITO_DB_USER encoding 'utf8' template template0"
  echo "DataStore database $QUITO_DATASTORE_DB (read-only role $QUITO_DATASTORE_RO_USER) ready"
}

# CKAN's own SQL for the DataStore's permissions (idempotent), run by the superuser.
ensure_datastore_permissions() {
  local ini=$1
  run_ckan "$ini" datastore set-permissions 2>/dev/null | psql_super -d "$QUITO_DATASTORE_DB" -v ON_ERROR_STOP=1 -q
  echo "DataStore permissions set"
}

ro_url() {
  echo "postgresql://$QUITO_DATASTORE_RO_USER:$QUITO_DATASTORE_RO_PASSWORD@$QUITO_DB_HOST:$QUITO_DB_PORT/$QUITO_DATASTORE_DB"
}

db_url() { echo "postgresql://$QUITO_DB_USER:$QUITO_DB_PASSWORD@$QUITO_DB_HOST:$QUITO_DB_PORT/$1"; }

run_ckan() { local ini=$1; shift; "$VENV/bin/ckan" -c "$ini" "$@"; }

# host, port or db of QUITO_REDIS_URL (redis://HOST:PORT/DB), for ckanext-harvest's queue settings.
redis_part() {
  local rest=${QUITO_REDIS_URL#redis://}
  rest=${rest#*@}
  case "$1" in
    host) echo "${rest%%[:/]*}" ;;
    port) local p=${rest#*:}; p=${p%%/*}; [ "$p" = "$rest" ] && p=6379; echo "${p:-6379}" ;;
    db) local d=${rest#*/}; [ "$d" = "$rest" ] && d=0; echo "${d:-0}" ;;
  esac
}

ensure_config() {
  local ini=$1 db=$2
  if [ ! -f "$ini" ]; then
    "$VENV/bin/ckan" generate config "$ini" >/dev/null
    echo "wrote $ini"
  fi
  mkdir -p "$ROOT/var/storage"
  "$VENV/bin/ckan" config-tool "$ini" \
    "sqlalchemy.url = $(db_url "$db")" \
    "ckan.redis.url = $QUITO_REDIS_URL" \
    "ckan.site_url = ${QUITO_SITE_URL:-http://localhost:5000}" \
    "ckan.site_id = quito_gobiernoabierto" \
    "ckan.storage_path = $ROOT/var/storage" \
    "ckan.max_resource_size = 200" \
    "ckan.plugins = $(cat "$ROOT/scripts/plugins.txt" | tr '\n' ' ')" \
    "scheming.organization_schemas = ckanext.quito_gobiernoabierto.schemas:organization.yaml" \
    "ckan.auth.roles_that_cascade_to_sub_groups = " \
    "ckan.locale_default = es" \
    "ckan.search.show_all_types = true" \
    "ckanext.dcat.rdf.profiles = euro_dcat_ap_3 quito_dcat_ap" \
    "ckanext.dcat.base_uri = ${QUITO_SITE_URL:-http://localhost:5000}" \
    "ckan.locales_offered = es en" \
    "ckan.site_title = Portal de Gobierno Abierto - Quito" \
    "ckan.auth.create_user_via_web = false" \
    "ckan.harvest.mq.type = redis" \
    "ckan.harvest.mq.hostname = $(redis_part host)" \
    "ckan.harvest.mq.port = $(redis_part port)" \
    "ckan.harvest.mq.redis_db = $(redis_part db)" \
    "ckanext.quito.harvest.folder_roots = $("$VENV/bin/python" -c \
      'from ckanext.quito_gobiernoabierto.logic.demo_harvest import ROOT; print(ROOT)')" \
    "ckan.views.default_views = quito_map_view quito_chart_view quito_pdf_view datatables_view" \
    "ckan.datastore.write_url = $(db_url "$QUITO_DATASTORE_DB")" \
    "ckan.datastore.read_url = $(ro_url)" \
    "ckanext.xloader.jobs_db.uri = $(db_url "$db")" >/dev/null
  echo "$ini configured"
}
