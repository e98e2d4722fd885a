#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium), which the browser example's
# end-to-end test drives with playwright-core. The browser comes from the
# distribution's package archive: no browser build is downloaded from
# elsewhere (no `playwright install`).
#
# Idempotent: does nothing when /usr/bin/chromium already runs.
# Needs root (or sudo) and Debian's package archive.
#
# Usage: bash scripts/install-chromium.sh
set -euo pipefail
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

chromium=/usr/bin/chromium

if [ -x "$chromium" ] && version="$("$chromium" --version 2>/dev/null)"; then
  echo "install-chromium: $version already installed ($chromium)"
  exit 0
fi

apt_require_root install-chromium "Debian's chromium package"
# fonts-liberation: a Latin font, so that text in screenshots is legible.
apt_install chromium fonts-liberation

if ! version="$("$chromium" --version 2>/dev/null)"; then
  echo "install-chromium: expected a working $chromium after installing the chromium package" >&2
  exit 1
fi
echo "install-chromium: installed $version ($chromium)"
