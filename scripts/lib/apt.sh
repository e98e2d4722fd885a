# Installs Debian packages with apt-get, as root or through sudo. Sourced by the
# install-*.sh scripts (it sets no shell options of its own).
#
#   . "$(dirname "$0")/lib/apt.sh"
#   apt_require_root install-chromium "Debian's chromium package"
#   apt_install chromium fonts-liberation

# Sets SUDO to the command prefix that runs apt-get as root: nothing when
# already root, `sudo` when available; otherwise prints
# "<script>: needs root (or sudo) to install <what>" and exits with status 1.
apt_require_root() {
  local script="$1" what="$2"
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    echo "$script: needs root (or sudo) to install $what" >&2
    exit 1
  fi
}

# Refreshes the package lists, then installs the given apt-get install
# arguments (packages, and options such as `-t <suite>`) non-interactively and
# without recommended packages. Call apt_require_root first.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$@"
}
