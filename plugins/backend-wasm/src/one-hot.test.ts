// tf.oneHot on wasm: the stock kernel wrote int32 bits into float32 outputs; Trellis' kernel
// gives what the cpu backend gives, in every dtype, with fractional on/off values and
// indices outside [0, depth).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {useBackend} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import {restoreStockKernels, wasm} from './index';
import {runOn} from '../test/backend-runs';

beforeAll(async () => {
  await useBackend(wasm());
});

const cases: Record<string, () => tf.Tensor> = {
  'float32, 1 and 0': () => tf.oneHot(tf.tensor1d([0, 2, 1, 3], 'int32'), 4, 1, 0, 'float32'),
  'float32, label smoothing 0.9 / 0.025': () => tf.oneHot(tf.tensor1d([1, 0, 4], 'int32'), 5, 0.9, 0.025, 'float32'),
  'int32, 5 and -1': () => tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3, 5, -1),
  'indices outside [0, depth) stay off': () => tf.oneHot(tf.tensor1d([-1, 3, 1], 'int32'), 3, 1, 0, 'float32'),
  'rank-2 indices': () =>
    tf.oneHot(
      tf.tensor2d(
        [
          [0, 1],
          [2, 0],
        ],
        [2, 2],
        'int32',
      ),
      3,
      1,
      0,
      'float32',
    ),
  'empty indices': () => tf.oneHot(tf.tensor1d([], 'int32'), 3, 1, 0, 'float32'),
};

for (const [name, f] of Object.entries(cases)) {
  it(`${name}: the same as on cpu`, async () => {
    expect(await runOn('wasm', f)).toEqual(await runOn('cpu', f));
  });
}

it('the stock kernel is what was wrong (so this test can fail), and the fix leaks nothing', async () => {
  restoreStockKernels();
  try {
    const stock = await runOn('wasm', cases['float32, 1 and 0']!);
    expect(stock.values[0]).not.toBe(1);
  } finally {
    await useBackend(wasm());
  }
  await expectNoTensorLeaks(() => {
    tf.tidy(() => {
      tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2, 1, 0, 'float32');
    });
  });
});
