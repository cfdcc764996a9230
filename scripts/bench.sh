#!/usr/bin/env bash
# Benchmarks, on a database of their own (never ckan_quito nor ckan_quito_test).
#
#   scripts/bench.sh search     package_search p50/p95 (+ hand-written SQL floor) and rebuild throughput
#
# Settings (environment variables, all optional):
#   SIZES               index sizes to measure, in order (default "10000 100000")
#   BENCH_REAL          datasets created through package_create and rebuilt (default 2000)
#   BENCH_REPS          timed repetitions per query (default 30), BENCH_WARMUP (default 3)
#   BENCH_TIMEOUT       time limit of each size (default 30m)
#   QUITO_BENCH_DB_NAME database (default ckan_quito_bench), plus the QUITO_DB_* of scripts/lib.sh
# Writes var/bench.ini (test.ini pointed at the bench database) and bench/results/search-<size>.json.
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

write_bench_config() {
  mkdir -p "$ROOT/var"
  sed -e "s|^sqlalchemy.url = .*|sqlalchemy.url = $(db_url "$BENCH_DB")|" \
      -e "s|^ckan.redis.url = .*|ckan.redis.url = $BENCH_REDIS_URL|" \
      -e "s|^ckan.plugins = .*|ckan.plugins = quito_search\\
ckan.views.default_views =|" \
      -e "s|^ckan.site_id = .*|ckan.site_id = bench.quito|" \
      -e "s|^ckan.site_url = .*|ckan.site_url = http://bench.quito.local|" \
      -e "s|^ckan.storage_path = .*|ckan.storage_path = %(here)s/bench-storage|" \
      -e "s|^testing = .*|testing = false|" \
      test.ini > "$BENCH_INI.tmp"
  # Self-check: the benchmark must never point at the development or test database.
  grep -q "^sqlalchemy.url = .*/$BENCH_DB\$" "$BENCH_INI.tmp" || die "could not point $BENCH_INI at $BENCH_DB"
  grep -q "^ckan.site_id = bench.quito\$" "$BENCH_INI.tmp" || die "could not set ckan.site_id in $BENCH_INI"
  mv "$BENCH_INI.tmp" "$BENCH_INI"
  echo "wrote $BENCH_INI"
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

case "${1:-}" in
  search) bench_search ;;
  *) echo "usage: scripts/bench.sh search" >&2; exit 2 ;;
esac
