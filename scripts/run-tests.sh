#!/usr/bin/env bash
# Runs the suite with the project's venv. pytest's exit 5 (no tests collected) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/python" -m pytest "$@"
rc=$?
if [ "$rc" = 5 ]; then echo "run-tests: no tests were collected" >&2; exit 1; fi
exit "$rc"
