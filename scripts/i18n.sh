#!/usr/bin/env bash
# Translations: scripts/i18n.sh extract | update | compile
#   extract  write i18n/ckanext-quito_gobiernoabierto.pot from the sources
#   update   merge the template into the es and en catalogues
#   compile  build the .mo files that ship with the package
set -euo pipefail
cd "$(dirname "$0")/.."
BABEL=${VENV:-.venv}/bin/pybabel
DOMAIN=ckanext-quito_gobiernoabierto
case "${1:-}" in
  extract) "${VENV:-.venv}/bin/python" scripts/extract_messages.py "i18n/$DOMAIN.pot" ;;
  update)  "$BABEL" update -N --ignore-obsolete -d i18n -D "$DOMAIN" -i "i18n/$DOMAIN.pot" --no-fuzzy-matching ;;
  compile) "$BABEL" compile -d i18n -D "$DOMAIN" ;;
  *) echo "usage: $0 extract|update|compile" >&2; exit 2 ;;
esac
