#!/usr/bin/env bash
# Benchmarks, on a database of their own (never ckan_quito nor ckan_quito_test).
#
#   scripts/bench.sh search     package_search p50/p95 (+ hand-written SQL floor) and rebuild throughput
#   scripts/bench.sh dcat       DCAT catalogue page p50/p95 and full-dump throughput/memory,
#                               quito_dcat_ap beside ckanext-dcat's stock euro_dcat_ap_3
#   scripts/bench.sh pages      home, search, dataset and LOTAIP pages p50/p95 beside their API floor
#                               (on the DCAT bench database: run `dcat` first)
#   scripts/bench.sh harvest    quito_files: first harvest of HARVEST_FILES (1000) files and an unchanged
#                               re-run, datasets/s and time per stage, beside a plain-download floor
#
# Settings (environment variables, all optional):
#   SIZES               index sizes to measure, in order (default "10000 100000")
#   BENCH_REAL          datasets created through package_create and rebuilt (default 2000)
#   BENCH_REPS          timed repetitions per query (default 30), BENCH_WARMUP (default 3)
#   BENCH_TIMEOUT       time limit of each size (default 30m)
#   QUITO_BENCH_DB_NAME database (default ckan_quito_bench), plus the QUITO_DB_* of scripts/lib.sh
# Writes var/bench.ini (test.ini pointed at the bench database) and bench/results/search-<size>.json.
#
# dcat settings: DCAT_SIZES (default "10000"), DCAT_WORKERS package_create processes (2),
#   DCAT_PAGES pages sampled (5), DCAT_REPS rounds (4), DCAT_DUMP_FORMATS ("nt ttl"),
#   DCAT_GC_FREEZE=1 also measures the pages after gc.freeze() (0: only as the app runs by default),
#   QUITO_DCAT_BENCH_DB_NAME (default ckan_quito_dcat_bench), QUITO_DCAT_BENCH_REDIS_URL (db 5).
# Writes var/dcat-bench.ini (test.ini with every plugin, pointed at that database) and
# bench/results/dcat-<size>.json.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

BENCH_DB=${QUITO_BENCH_DB_NAME:-ckan_quito_bench}
BENCH_INI=$ROOT/var/bench.ini
BENCH_REDIS_URL=${QUITO_BENCH_REDIS_URL:-redis://127.0.0.1:6379/4}

ensure_bench_database() {
  psql_super -d postgres -tA -c "select 1 from pg_database where datname='$BENCH_DB'" | grep -q 1 \
    || psql_super -d postgres -c "create database $BENCH_DB owner $QUITO_DB_USER encoding 'utf8' template template0"
  psql_super -d "$BENCH_DB" -c "create extension if not exists unaccent; create extension if not exists pg_trgm"
  echo "database $BENCH_DB ready"
}

# bench_config INI DB REDIS_URL SITE_ID STORAGE [PLUGINS]: test.ini pointed at DB (with PLUGINS
# instead of test.ini's own list when given), no default views, testing off.
bench_config() {
  local ini=$1 db=$2 redis=$3 site_id=$4 storage=$5 plugins=${6:-}
  local plugins_line='&'
  [ -n "$plugins" ] && plugins_line="ckan.plugins = $plugins"
  mkdir -p "$ROOT/var"
  sed -e "s|^sqlalchemy.url = .*|sqlalchemy.url = $(db_url "$db")|" \
      -e "s|^ckan.redis.url = .*|ckan.redis.url = $redis|" \
      -e "s|^ckan.plugins = .*|$plugins_line\\
ckan.views.default_views =|" \
      -e "s|^ckan.site_id = .*|ckan.site_id = $site_id|" \
      -e "s|^ckan.site_url = .*|ckan.site_url = http://bench.quito.local|" \
      -e "s|^ckan.storage_path = .*|ckan.storage_path = %(here)s/$storage|" \
      -e "s|^testing = .*|testing = false|" \
      test.ini > "$ini.tmp"
  # Self-check: a benchmark must never point at the development or test database.
  grep -q "^sqlalchemy.url = .*/$db\$" "$ini.tmp" || die "could not point $ini at $db"
  grep -q "^ckan.site_id = $site_id\$" "$ini.tmp" || die "could not set ckan.site_id in $ini"
  mv "$ini.tmp" "$ini"
  echo "wrote $ini"
}

write_bench_config() {
  bench_config "$BENCH_INI" "$BENCH_DB" "$BENCH_REDIS_URL" bench.quito bench-storage quito_search
}

loopback_only() {
  case "$QUITO_DB_HOST" in 127.*|localhost|::1) ;; *) die "benchmarks run on a loopback PostgreSQL only (QUITO_DB_HOST=$QUITO_DB_HOST)";; esac
}

bench_search() {
  loopback_only
  step "bench database";  ensure_postgres; ensure_redis; ensure_bench_database
  step "bench config";    write_bench_config
  step "bench schema";    run_ckan "$BENCH_INI" db upgrade >/dev/null; echo "migrations applied"
  # Unset, CKAN would read these over var/bench.ini and aim at another database.
  unset CKAN_SQLALCHEMY_URL CKAN_REDIS_URL CKAN_INI
  local size
  for size in ${SIZES:-10000 100000}; do
    step "package_search benchmark, $size datasets"
    timeout --foreground "${BENCH_TIMEOUT:-30m}" "$VENV/bin/python" -m bench.search_bench \
      --config "$BENCH_INI" --size "$size" --real "${BENCH_REAL:-2000}" \
      --reps "${BENCH_REPS:-30}" --warmup "${BENCH_WARMUP:-3}" \
      --out "$ROOT/bench/results/search-$size.json"
  done
}

DCAT_DB=${QUITO_DCAT_BENCH_DB_NAME:-ckan_quito_dcat_bench}
DCAT_INI=$ROOT/var/dcat-bench.ini
DCAT_REDIS_URL=${QUITO_DCAT_BENCH_REDIS_URL:-redis://127.0.0.1:6379/5}

# test.ini with all its plugins (the DCAT profiles need them) on the DCAT bench database.
write_dcat_config() {
  bench_config "$DCAT_INI" "$DCAT_DB" "$DCAT_REDIS_URL" dcat-bench.quito dcat-bench-storage
}

bench_dcat() {
  loopback_only
  BENCH_DB=$DCAT_DB
  step "dcat bench database"; ensure_postgres; ensure_redis; ensure_bench_database
  step "dcat bench config";   write_dcat_config
  step "dcat bench schema";   run_ckan "$DCAT_INI" db upgrade >/dev/null; echo "migrations applied"
  unset CKAN_SQLALCHEMY_URL CKAN_REDIS_URL CKAN_INI
  local size
  for size in ${DCAT_SIZES:-10000}; do
    step "DCAT catalogue benchmark, $size datasets"
    timeout --foreground "${BENCH_TIMEOUT:-60m}" "$VENV/bin/python" -m bench.dcat_bench \
      --config "$DCAT_INI" --size "$size" --workers "${DCAT_WORKERS:-2}" --pages "${DCAT_PAGES:-5}" \
      --reps "${DCAT_REPS:-4}" --dump-formats "${DCAT_DUMP_FORMATS:-nt ttl}" \
      $([ "${DCAT_GC_FREEZE:-1}" = 1 ] && echo --gc-freeze) \
      --out "$ROOT/bench/results/dcat-$size.json"
  done
}

HARVEST_DB=${QUITO_HARVEST_BENCH_DB_NAME:-ckan_quito_harvest_bench}
HARVEST_INI=$ROOT/var/harvest-bench.ini
HARVEST_REDIS_URL=${QUITO_HARVEST_BENCH_REDIS_URL:-redis://127.0.0.1:6379/6}

bench_harvest() {
  loopback_only
  BENCH_DB=$HARVEST_DB
  step "harvest bench database"; ensure_postgres; ensure_redis; ensure_bench_database
  step "harvest bench config"
  bench_config "$HARVEST_INI" "$HARVEST_DB" "$HARVEST_REDIS_URL" harvest-bench.quito harvest-bench-storage \
    "$(sed -n 's/^ckan.plugins = //p' test.ini) harvest quito_files"
  step "harvest bench schema"; run_ckan "$HARVEST_INI" db upgrade >/dev/null; echo "migrations applied"
  unset CKAN_SQLALCHEMY_URL CKAN_REDIS_URL CKAN_INI
  local files
  for files in ${HARVEST_FILES:-1000}; do
    step "quito_files benchmark, $files files"
    timeout --foreground "${BENCH_TIMEOUT:-60m}" "$VENV/bin/python" -m bench.harvest_bench \
      --config "$HARVEST_INI" --files "$files" --out "$ROOT/bench/results/harvest-$files.json"
  done
}

# Citizens' pages on the DCAT bench database (run `scripts/bench.sh dcat` first to fill it).
bench_pages() {
  loopback_only
  BENCH_DB=$DCAT_DB
  step "pages bench config"; ensure_postgres; ensure_redis; ensure_bench_database; write_dcat_config
  run_ckan "$DCAT_INI" db upgrade >/dev/null
  unset CKAN_SQLALCHEMY_URL CKAN_REDIS_URL CKAN_INI
  step "citizens' pages benchmark"
  timeout --foreground "${BENCH_TIMEOUT:-30m}" "$VENV/bin/python" -m bench.pages_bench \
    --config "$DCAT_INI" --reps "${PAGES_REPS:-20}" --out "$ROOT/bench/results/pages.json"
}

case "${1:-}" in
  search) bench_search ;;
  dcat) bench_dcat ;;
  harvest) bench_harvest ;;
  pages) bench_pages ;;
  *) echo "usage: scripts/bench.sh search|dcat|harvest|pages" >&2; exit 2 ;;
esac
