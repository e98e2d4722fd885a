// The job on the native backend (`--backend node`): it learns, and its losses
// follow the wasm backend's (both float32; they differ by rounding in sums
// taken in another order, which five epochs of Adam carry on: 2% relative
// leaves room for that while a wrong kernel would be off by far more).
// Needs @tensorflow/tfjs-node's native addon (scripts/install-native.sh):
// without it plain `pnpm test` skips this file and says so;
// TRELLIS_NATIVE_REQUIRED=1 makes that a failure.
import {execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {dirname} from 'node:path';
import {describe, expect, it} from 'vitest';
import {trainMnist} from './train-mnist';

const nodePluginDir = dirname(createRequire(import.meta.url).resolve('@trellis/backend-node/package.json'));

function nativeLoads(): boolean {
  try {
    execFileSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], {
      cwd: nodePluginDir,
      stdio: 'ignore',
      env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '2'},
      timeout: 120_000,
    });
    return true;
  } catch {
    return false;
  }
}

const native = nativeLoads();
const required = process.env.TRELLIS_NATIVE_REQUIRED === '1';
if (!native && !required) {
  console.warn(
    '[example-mnist] skipping --backend node: the native addon of @tensorflow/tfjs-node is not built (scripts/install-native.sh).',
  );
}

describe.skipIf(!native && !required)('--backend node', () => {
  it('learns real digits on native TensorFlow, with the losses of the wasm backend', {timeout: 180_000}, async () => {
    expect(native, "@tensorflow/tfjs-node's native addon loads").toBe(true);
    const started: string[] = [];
    const onNode = await trainMnist({backend: 'node', samples: 2000, test: false, onStart: (r) => void started.push(r.backend)});
    expect(started).toEqual(['tensorflow']);
    expect(onNode.backend).toBe('tensorflow');
    expect(onNode.history.history.val_accuracy![4]!).toBeGreaterThanOrEqual(0.85);
    const onWasm = await trainMnist({backend: 'wasm', samples: 2000, test: false});
    const wasmLoss = onWasm.history.history.loss!;
    onNode.history.history.loss!.forEach((loss, epoch) =>
      expect(
        Math.abs(loss - wasmLoss[epoch]!) / wasmLoss[epoch]!,
        `epoch ${epoch + 1}: node ${loss}, wasm ${wasmLoss[epoch]}`,
      ).toBeLessThan(0.02),
    );
  });
});
