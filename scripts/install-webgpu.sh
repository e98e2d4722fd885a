#!/usr/bin/env bash
# Installs what the WebGPU tests need on a Debian 12 machine without a GPU:
# Mesa's software Vulkan driver (lavapipe) from bookworm-backports. Debian 12's
# own mesa-vulkan-drivers (22.3) lacks features Dawn requires ("shaderUniform*
# ArrayDynamicIndexing required"); the backports build (25.x) works.
#
# Idempotent: does nothing when a lavapipe of Mesa >= 23 is already installed.
# Needs root (or sudo) and Debian's package archive. Dawn itself comes with the
# `webgpu` npm package (a devDependency of plugins/backend-webgpu).
#
# Usage: bash scripts/install-webgpu.sh
set -euo pipefail
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

lavapipe_icd() { compgen -G '/usr/share/vulkan/icd.d/lvp_icd*.json' | head -n 1; }
installed_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }

version="$(installed_version)"
icd="$(lavapipe_icd || true)"
if [ -n "$version" ] && [ -n "$icd" ] && dpkg --compare-versions "$version" ge 23 \
  && dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null | grep -q 'install ok installed'; then
  echo "install-webgpu: Mesa lavapipe $version already installed ($icd)"
  exit 0
fi

apt_require_root install-webgpu mesa-vulkan-drivers

. /etc/os-release
if [ "${VERSION_CODENAME:-}" != bookworm ]; then
  # Later Debian releases ship a Mesa recent enough for Dawn in their main suite.
  echo "install-webgpu: ${PRETTY_NAME:-this system} is not Debian 12: installing mesa-vulkan-drivers from its own suite"
  apt_install mesa-vulkan-drivers libvulkan1
  exit 0
fi

# The backports suite, from the same archive the system's Debian sources use.
sources=/etc/apt/sources.list.d/bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  uri="$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  uri="${uri:-http://deb.debian.org/debian}"
  echo "install-webgpu: adding bookworm-backports ($uri) as $sources"
  printf '%s\n' 'Types: deb' "URIs: $uri" 'Suites: bookworm-backports' 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | "${SUDO[@]}" tee "$sources" >/dev/null
fi

apt_install -t bookworm-backports mesa-vulkan-drivers libvulkan1

version="$(installed_version)"
icd="$(lavapipe_icd || true)"
if [ -z "$icd" ] || ! dpkg --compare-versions "${version:-0}" ge 23; then
  echo "install-webgpu: expected Mesa >= 23 with /usr/share/vulkan/icd.d/lvp_icd*.json; got '${version:-none}'" >&2
  exit 1
fi
echo "install-webgpu: installed Mesa lavapipe $version ($icd)"
