#!/usr/bin/env bash
# Builds @tensorflow/tfjs-node's native addon in this workspace without its usual download host
# (TOOLCHAIN.md §10): libtensorflow comes from the PyPI tensorflow-cpu wheel, is repacked as the
# tarball tfjs-node's own install script expects, served to it from a loopback HTTP server, and the
# addon is compiled with node-gyp against the local Node headers.
#
# Everything downloaded or built is kept in a cache outside the repository
# (${TRELLIS_NATIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trellis-native}), so a rerun, or a fresh
# clone on the same machine, takes about a second. Idempotent: when the addon already loads, it does
# nothing. Exits non-zero when, at the end, require('@tensorflow/tfjs-node') does not load (its
# install script itself does not fail when the build fails).
#
# Users on a machine that can reach the download host need none of this: `npm install
# @tensorflow/tfjs-node` downloads a prebuilt addon.
#
# Usage: scripts/install-native.sh            (after `pnpm install`)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The workspace package that has @tensorflow/tfjs-node as a devDependency.
CONSUMER="$ROOT/plugins/backend-node"
TF_WHEEL_VERSION=2.21.0
CACHE="${TRELLIS_NATIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/trellis-native}"
started=$SECONDS

say() { echo "install-native: $*"; }
die() {
  echo "install-native: $*" >&2
  exit 1
}

PKG="$(cd "$CONSUMER" && node -p "require('node:path').dirname(require.resolve('@tensorflow/tfjs-node/package.json'))" 2>/dev/null)" ||
  die "@tensorflow/tfjs-node is not installed in $CONSUMER: run 'npx -y pnpm@10.34.9 install' first."
TFJS_NODE_VERSION="$(node -p "require('$PKG/package.json').version")"
LIBTF_TAG="$(node -p "require('$PKG/scripts/deps-constants.js').LIBTENSORFLOW_VERSION")"

# Loads the addon in a separate process: prints the TensorFlow version, fails if it cannot load.
check() {
  (cd "$CONSUMER" && TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require('@tensorflow/tfjs-node');
    if (tf.getBackend() !== 'tensorflow') throw new Error('active backend is ' + tf.getBackend());
    console.log(tf.backend().binding.TF_Version);
  " 2>/dev/null | tail -n 1)
}

if version="$(check)" && [ -n "$version" ]; then
  say "@tensorflow/tfjs-node $TFJS_NODE_VERSION already loads (libtensorflow $version); nothing to do ($((SECONDS - started)) s)."
  exit 0
fi

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "this recipe covers Linux x86_64 only; elsewhere use 'npm install @tensorflow/tfjs-node' (prebuilt)."
command -v python3 >/dev/null || die "python3 is needed (pip download, zip extraction, loopback server)."

mkdir -p "$CACHE"
# One run at a time per cache (CI jobs sharing a runner).
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock 9
fi

# The addon is N-API: one build serves every Node version with the same N-API level.
NAPI="$(node -p 'process.versions.napi')"
ADDON_CACHE="$CACHE/addon-tfjs-node-$TFJS_NODE_VERSION-tf-$TF_WHEEL_VERSION-napi-$NAPI"
TARBALL_DIR="$CACHE/serve"
TARBALL="$TARBALL_DIR/libtensorflow-cpu-linux-x86_64-$LIBTF_TAG.tar.gz"

# Copies a tree, hard-linking files when the cache and the workspace share a file system.
copy_tree() {
  rm -rf "$2"
  cp -al "$1" "$2" 2>/dev/null || {
    rm -rf "$2"
    cp -a "$1" "$2"
  }
}

# 1. A build from an earlier run (another clone, or node_modules was reinstalled).
if [ -f "$ADDON_CACHE/done" ]; then
  say "restoring the addon built earlier from $ADDON_CACHE"
  copy_tree "$ADDON_CACHE/lib" "$PKG/lib"
  copy_tree "$ADDON_CACHE/deps" "$PKG/deps"
  if version="$(check)" && [ -n "$version" ]; then
    say "@tensorflow/tfjs-node $TFJS_NODE_VERSION loads (libtensorflow $version) ($((SECONDS - started)) s)."
    exit 0
  fi
  say "the cached build does not load here; rebuilding"
  rm -rf "$ADDON_CACHE" "$PKG/lib" "$PKG/deps"
fi

# 2. libtensorflow from the tensorflow-cpu wheel, packed as tfjs-node's install script expects.
if [ ! -f "$TARBALL" ]; then
  WHEEL_DIR="$CACHE/wheel"
  wheel="$(ls "$WHEEL_DIR"/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl 2>/dev/null | head -n 1 || true)"
  if [ -z "$wheel" ]; then
    say "downloading the tensorflow-cpu $TF_WHEEL_VERSION wheel from PyPI (about 270 MB)"
    # The pinned Python version and platform make the host's Python irrelevant.
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_27_x86_64 -d "$WHEEL_DIR" "tensorflow-cpu==$TF_WHEEL_VERSION"
    wheel="$(ls "$WHEEL_DIR"/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl | head -n 1)"
  fi
  say "repacking libtensorflow from $(basename "$wheel")"
  work="$(mktemp -d "$CACHE/pack.XXXXXX")"
  python3 - "$wheel" "$work" <<'PY'
import os, shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
# The binding's whole header closure, and the two shared libraries.
headers = ('tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/platform/ctstring', 'xla/tsl/c/')
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.endswith('/'):
            continue
        if name in libs:
            target = os.path.join(out, 'lib', os.path.basename(name))
        elif name.startswith('tensorflow/include/') and name[len('tensorflow/include/'):].startswith(headers):
            target = os.path.join(out, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst)
missing = [l for l in libs if not os.path.exists(os.path.join(out, 'lib', os.path.basename(l)))]
if missing:
    sys.exit(f'not in the wheel: {missing}')
PY
  if command -v strip >/dev/null; then strip --strip-unneeded "$work"/lib/*.so.2; fi
  (
    cd "$work/lib"
    # libtensorflow_cc exports every TF_*/TFE_* symbol the binding calls.
    for name in libtensorflow.so libtensorflow.so.2 "libtensorflow.so.$LIBTF_TAG"; do ln -sf libtensorflow_cc.so.2 "$name"; done
    for name in libtensorflow_framework.so "libtensorflow_framework.so.$LIBTF_TAG"; do ln -sf libtensorflow_framework.so.2 "$name"; done
  )
  mkdir -p "$TARBALL_DIR"
  tar -C "$work" -cf - include lib | gzip -1 >"$TARBALL.partial"
  mv "$TARBALL.partial" "$TARBALL"
  rm -rf "$work"
fi

# 3. tfjs-node's own install script, fed from a loopback server; node-gyp builds against local headers.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$TARBALL_DIR" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done

node_prefix="$(dirname "$(dirname "$(command -v node)")")"
[ -f "$node_prefix/include/node/node_api.h" ] ||
  die "no Node headers in $node_prefix/include/node (node-gyp must not download them here); install your distribution's Node development headers."

say "building the addon of @tensorflow/tfjs-node $TFJS_NODE_VERSION (node-gyp, headers from $node_prefix/include/node)"
rm -rf "$PKG/lib" "$PKG/deps"
# The install script rewrites package.json in place and puts it back; pnpm hard-links package files
# from its store, so give this copy its own inode first.
cp "$PKG/package.json" "$PKG/package.json.own" && mv "$PKG/package.json.own" "$PKG/package.json"
(
  cd "$PKG"
  PATH="$PKG/node_modules/.bin:$PATH" \
    TFJS_NODE_BASE_URI="http://127.0.0.1:$port/libtensorflow-" \
    npm_config_build_from_source=true \
    npm_config_nodedir="$node_prefix" \
    node scripts/install.js
) >"$CACHE/build.log" 2>&1 || true
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
trap - EXIT

if ! version="$(check)" || [ -z "$version" ]; then
  tail -n 40 "$CACHE/build.log" >&2
  die "the addon does not load after the build (full log: $CACHE/build.log)."
fi

# 4. Keep the build for the next clone or reinstall.
rm -rf "$ADDON_CACHE.partial"
mkdir -p "$ADDON_CACHE.partial"
copy_tree "$PKG/lib" "$ADDON_CACHE.partial/lib"
copy_tree "$PKG/deps" "$ADDON_CACHE.partial/deps"
touch "$ADDON_CACHE.partial/done"
rm -rf "$ADDON_CACHE"
mv "$ADDON_CACHE.partial" "$ADDON_CACHE"
say "@tensorflow/tfjs-node $TFJS_NODE_VERSION loads (libtensorflow $version) ($((SECONDS - started)) s)."
