#!/usr/bin/env bash
# One setup path for everything (README, tests, CI, demo portal).
#
#   scripts/setup.sh            venv + install + services + databases + ckan.ini + migrations
#
# Idempotent: a second run checks each step and changes nothing.
# Settings (environment variables, all optional):
#   PYTHON              interpreter for the venv (default: python3.11, else python3)
#   VENV                venv folder (default: .venv)
#   QUITO_DB_HOST/PORT  PostgreSQL server (default 127.0.0.1:5432)
#   QUITO_DB_USER/QUITO_DB_PASSWORD   the CKAN role (default ckan_quito / ckan_quito)
#   QUITO_DB_NAME / QUITO_TEST_DB_NAME  databases (default ckan_quito / ckan_quito_test)
#   PGSUPERUSER         role that may create roles and databases (default postgres)
#   QUITO_REDIS_URL     default redis://127.0.0.1:6379/0
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

step "python environment";  ensure_venv
step "services";            ensure_postgres; ensure_redis
step "databases";           ensure_databases
step "configuration";       ensure_config ckan.ini "$QUITO_DB_NAME"
step "database schema";     quiet "$ROOT/var/setup.log" run_ckan ckan.ini db upgrade; echo "ckan db upgrade done (log: var/setup.log)"
step "datastore";           ensure_datastore_permissions ckan.ini
step "ready";               echo "setup complete: $ROOT/ckan.ini"
