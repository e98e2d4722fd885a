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

chromium=/usr/bin/chromium

if [ -x "$chromium" ] && version="$("$chromium" --version 2>/dev/null)"; then
  echo "install-chromium: $version already installed ($chromium)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null; then
  SUDO=(sudo)
else
  echo "install-chromium: needs root (or sudo) to install Debian's chromium package" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
# fonts-liberation: a Latin font, so that text in screenshots is legible.
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation

if ! version="$("$chromium" --version 2>/dev/null)"; then
  echo "install-chromium: expected a working $chromium after installing the chromium package" >&2
  exit 1
fi
echo "install-chromium: installed $version ($chromium)"
