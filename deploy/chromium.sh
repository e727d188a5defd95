#!/usr/bin/env bash
# Debian's Chromium for the browser tests and screenshots (Playwright drives it through
# executable_path and never downloads a browser of its own). Installs only when missing.
# Usage: deploy/chromium.sh install
set -euo pipefail

CHROMIUM=/usr/bin/chromium

install() {
  [[ -x $CHROMIUM ]] && return
  echo "chromium: installing Debian's chromium package"
  ((EUID == 0)) || { echo "chromium: ERROR: $CHROMIUM is missing; run as root or install 'chromium'" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  [[ -x $CHROMIUM ]] || { echo "chromium: ERROR: the package did not install $CHROMIUM" >&2; exit 1; }
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
