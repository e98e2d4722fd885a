// The job on the native backend (`--backend node`): it learns, and its losses
// follow the wasm backend's (both float32; they differ by rounding in sums
// taken in another order, which five epochs of Adam carry on: 2% relative
// leaves room for that while a wrong kernel would be off by far more).
// Needs @tensorflow/tfjs-node's native addon (scripts/install-native.sh):
// without it plain `pnpm test` skips this file and says so;
// TRELLIS_NATIVE_REQUIRED=1 makes that a failure.
import {diagnose} from '@trellis/backend-node';
import {describeWith, nativeAddon} from '@trellis/testing';
import {expect, it} from 'vitest';
import {trainMnist} from './train-mnist';

describeWith(nativeAddon(await diagnose()), '--backend node', () => {
  it('learns real digits on native TensorFlow, with the losses of the wasm backend', {timeout: 180_000}, async () => {
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
