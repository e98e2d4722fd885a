#!/usr/bin/env bash
# `pnpm test:native`: builds tfjs-node's addon when needed (scripts/install-native.sh), then runs
# on the native backend, none of them allowed to skip (TRELLIS_NATIVE_REQUIRED=1):
#   * @trellis/backend-node's tests (the kernel-coverage test of every layer, loss and optimizer),
#   * 'auto' on this machine, and the fit loop against tfjs-layers' fit (TRELLIS_TEST_BACKEND=node),
#   * the main MNIST job with --backend node,
#   * the interop suite's numeric cases against Keras 3 (TRELLIS_INTEROP_BACKENDS=node): every
#     interop file that runs its cases per backend, at the tolerances of cpu and wasm. It needs the
#     interop virtualenv, which pnpm test:interop creates (.ci/run runs that first, and Keras'
#     results of that run are reused: the cases are the same).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/install-native.sh"
export TRELLIS_NATIVE_REQUIRED=1 TF_CPP_MIN_LOG_LEVEL=2
(cd "$ROOT/plugins/backend-node" && vitest run)
(cd "$ROOT/packages/trellis" && TRELLIS_TEST_BACKEND=node vitest run src/auto-backend-here.test.ts src/oracle.test.ts)
(cd "$ROOT/examples/mnist" && vitest run src/train-mnist-node.test.ts)
mapfile -t numeric < <(cd "$ROOT/interop" && grep -lE "BACKENDS|describeLayerCases|describeOptimizerCases" src/*.interop.test.ts)
(cd "$ROOT/interop" && TRELLIS_INTEROP_BACKENDS=node vitest run "${numeric[@]}")
