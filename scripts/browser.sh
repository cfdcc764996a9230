#!/usr/bin/env bash
# Headless browser for the end-to-end tests (tests/e2e): Debian's chromium and
# chromium-driver, nothing that downloads a browser of its own. Idempotent:
# installs only when /usr/bin/chromium or /usr/bin/chromedriver is missing
# (apt-get update only if the install fails without it), then prints versions.
#
#   scripts/browser.sh
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
PACKAGES=(chromium chromium-driver)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y --no-install-recommends "${PACKAGES[@]}"
}

if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
  echo "browser: installing ${PACKAGES[*]}"
  if ! install_packages; then
    echo "browser: install failed; running apt-get update and retrying"
    DEBIAN_FRONTEND=noninteractive as_root apt-get update
    install_packages
  fi
fi

for bin in "$CHROMIUM" "$CHROMEDRIVER"; do
  [ -x "$bin" ] || { echo "browser: $bin missing after install" >&2; exit 1; }
done

"$CHROMIUM" --version
"$CHROMEDRIVER" --version
