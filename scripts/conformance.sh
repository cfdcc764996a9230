#!/usr/bin/env bash
# Conformance runner: the test suites that ship with CKAN 2.11 (its search
# tests) and with ckanext-scheming, ckanext-dcat and ckanext-harvest, run with
# the quito_search engine in place of Solr (conformance/pytest_quito_engine.py).
#
#   scripts/conformance.sh [SUITE...]     default: core-get core-search scheming dcat harvest
#
# Each suite gets a fresh database ckan_quito_conformance (never the project's
# own databases) and Redis db 3, runs under `timeout`, and leaves NAME.xml,
# NAME.log and NAME.rc in var/conformance/. The summary (conformance/summary.py)
# prints suite | passed | failed | errors | skipped | time and every failing
# test with the first line of its failure.
# Exit status: 0 even with failing tests; 1 if a suite crashed at start-up
# (collection error, no tests collected, pytest error) or timed out.
# Settings (environment variables, all optional):
#   CONFORMANCE_SUITE_TIMEOUT   seconds per suite (default 420)
#   CONFORMANCE_OUT             output folder (default var/conformance)
#   QUITO_CONFORMANCE_DB_NAME   database (default ckan_quito_conformance)
#   QUITO_CONFORMANCE_REDIS_URL Redis (default redis://127.0.0.1:6379/3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
die() { echo "conformance: $*" >&2; exit 1; }

CONF=$ROOT/conformance
OUT=${CONFORMANCE_OUT:-$ROOT/var/conformance}
SUITE_TIMEOUT=${CONFORMANCE_SUITE_TIMEOUT:-420}
CONFORMANCE_DB=${QUITO_CONFORMANCE_DB_NAME:-ckan_quito_conformance}
CONFORMANCE_REDIS=${QUITO_CONFORMANCE_REDIS_URL:-redis://127.0.0.1:6379/3}
ALL_SUITES=(core-get core-search scheming dcat harvest)

# ckan/tests/logic/action/test_get.py: the classes and tests whose action goes
# through the search engine (package_search, package_autocomplete,
# current_package_list_with_resources, group_package_show, and group, organization,
# tag and user dictization with datasets or dataset counts).
CORE_GET_SELECTION="TestPackageSearch or TestPackageAutocomplete or TestCurrentPackageList \
or TestGroupPackageShow or TestGroupList or TestGroupShow or TestOrganizationList \
or TestOrganizationShow or TestTagShow or include_datasets or package_count or dataset_count"

# ckan/tests/lib/search: tests of Solr internals, left out (see README.md).
CORE_SEARCH_DESELECTED=(
  ckan/tests/lib/search/test_search.py::test_check_valid_schema
  ckan/tests/lib/search/test_search.py::test_check_invalid_schema
  ckan/tests/lib/search/test_search.py::test_check_schema_with_wrong_version
)

venv_python() { echo "$(cd "$VENV" && pwd)/bin/python"; }
site_packages() { "$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

suite_ini() {
  case $1 in
    core-*) echo core.ini ;;
    *) echo "$1.ini" ;;
  esac
}

# Sets ARGS to the pytest arguments that select suite $1.
suite_args() {
  local t
  case $1 in
    core-get) ARGS=("$SITE/ckan/tests/logic/action/test_get.py" -k "$CORE_GET_SELECTION") ;;
    core-search)
      ARGS=("$SITE/ckan/tests/lib/search")
      for t in "${CORE_SEARCH_DESELECTED[@]}"; do ARGS+=(--deselect "$t"); done ;;
    scheming | dcat | harvest) ARGS=("$SITE/ckanext/$1/tests") ;;
    *) die "unknown suite '$1' (suites: ${ALL_SUITES[*]})" ;;
  esac
}

# A new, empty database per suite, as each upstream CI starts from one.
fresh_database() {
  psql_super -d postgres -c "drop database if exists $CONFORMANCE_DB with (force)"
  psql_super -d postgres -c "create database $CONFORMANCE_DB owner $QUITO_DB_USER encoding 'utf8' template template0"
  psql_super -d "$CONFORMANCE_DB" -c "create extension if not exists unaccent; create extension if not exists pg_trgm"
  (cd "$CONF" && "$(dirname "$PY")/ckan" -c "$(suite_ini "$1")" db init) >"$OUT/$1.db-init.log" 2>&1 \
    || { tail -5 "$OUT/$1.db-init.log" >&2; die "ckan db init failed for suite $1"; }
}

run_pytest() {
  local name=$1
  cd "$CONF"
  timeout -s INT -k 60 "$SUITE_TIMEOUT" "$PY" -m pytest -c pytest.ini \
    --rootdir="$SITE" --confcutdir="$SITE" --ckan-ini="$(suite_ini "$name")" \
    -q -rfE --junitxml="$OUT/$name.xml" "${ARGS[@]}"
}

run_suite() {
  local name=$1 rc=0 started=$SECONDS
  suite_args "$name"
  step "suite $name"
  rm -f "$OUT/$name".{xml,log,rc}
  fresh_database "$name"
  (run_pytest "$name") >"$OUT/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$OUT/$name.rc"
  echo "$(tail -1 "$OUT/$name.log") [exit $rc, $((SECONDS - started))s]"
}

main() {
  local suites=("$@") name
  [ ${#suites[@]} -gt 0 ] || suites=("${ALL_SUITES[@]}")
  PY=$(venv_python)
  SITE=$(site_packages)
  mkdir -p "$OUT"
  # Environment variables CKAN reads over the ini: pin them to the conformance database.
  export CKAN_SQLALCHEMY_URL; CKAN_SQLALCHEMY_URL=$(db_url "$CONFORMANCE_DB")
  export CKAN_REDIS_URL=$CONFORMANCE_REDIS
  export PYTHONPATH=$CONF${PYTHONPATH:+:$PYTHONPATH}
  unset CKAN_INI CKAN_SOLR_URL
  for name in "${suites[@]}"; do run_suite "$name"; done
  "$PY" "$CONF/summary.py" --dir "$OUT" --known "$CONF/known-failures.txt" "${suites[@]}"
}

main "$@"
