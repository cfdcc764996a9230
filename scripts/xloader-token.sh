#!/usr/bin/env bash
# Gives ckanext-xloader the API token it needs to load tables into the DataStore
# (a token of the demo sysadmin, created once and written to ckan.ini), then
# queues every resource the DataStore does not hold yet. Run after the demo load.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
INI=${1:-ckan.ini}
ADMIN=${QUITO_DEMO_ADMIN:-admin}

current=$(sed -n 's/^ckanext.xloader.api_token *= *//p' "$INI" | tail -1)
if [ -z "$current" ] || [ "$current" = "NOT_SET" ]; then
  token=$(run_ckan "$INI" user token add "$ADMIN" xloader 2>/dev/null | tail -1 | tr -d '[:space:]')
  [ -n "$token" ] || die "could not create an API token for $ADMIN"
  "$VENV/bin/ckan" config-tool "$INI" "ckanext.xloader.api_token = $token" >/dev/null
  echo "xloader API token created for $ADMIN"
else
  echo "xloader API token already set"
fi
run_ckan "$INI" xloader submit all >/dev/null 2>&1 || echo "xloader submit all failed (tables will load when resources change)"
echo "tables queued for the DataStore (the jobs worker started by make portal loads them)"
