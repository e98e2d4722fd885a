#!/usr/bin/env bash
# `pnpm test:webgpu`: @trellis/backend-webgpu's tests on a real adapter (none allowed to skip:
# TRELLIS_WEBGPU=required; on a machine without a GPU, Mesa's lavapipe from scripts/install-webgpu.sh),
# then interop cases against Keras 3 on webgpu (TRELLIS_INTEROP_BACKENDS=webgpu): dense, convolution,
# pooling and normalization layers, losses, optimizers, the confusion metrics and the MNIST MLP
# trained 3 epochs. They need the interop virtualenv, which pnpm test:interop creates (.ci/run runs
# that first, and Keras' results of that run are reused). Every other numeric interop file runs on
# webgpu too with TRELLIS_INTEROP_BACKENDS=webgpu (see interop/README.md); they are left out here only
# to keep CI short on a software adapter.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$ROOT/plugins/backend-webgpu" && TRELLIS_WEBGPU=required vitest run)
(cd "$ROOT/interop" && TRELLIS_INTEROP_BACKENDS=webgpu vitest run \
  src/dense.interop.test.ts src/conv-layers.interop.test.ts src/pooling-layers.interop.test.ts \
  src/normalization-layers.interop.test.ts src/losses.interop.test.ts src/optimizers.interop.test.ts \
  src/metrics-confusion.interop.test.ts src/mnist-mlp.interop.test.ts)
