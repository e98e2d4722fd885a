import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it, vi} from 'vitest';
import {hasTrellisKernels, restoreStockKernels, wasm} from './index';

beforeAll(async () => {
  await useBackend(wasm());
});

/** Runs `f` with the stock kernels and with Trellis', returning both results as arrays. */
async function both(
  f: () => tf.Tensor,
): Promise<{stock: {shape: number[]; values: number[]}; trellis: {shape: number[]; values: number[]}}> {
  const read = () =>
    tf.tidy(() => {
      const t = f();
      return {shape: t.shape, values: Array.from(t.dataSync())};
    });
  restoreStockKernels();
  const stock = read();
  await wasm().register();
  expect(hasTrellisKernels()).toBe(true);
  return {stock, trellis: read()};
}

const seq = (shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32') =>
  dtype === 'bool'
    ? tf.tensor(
        Array.from({length: shape.reduce((a, b) => a * b, 1)}, (_, i) => i % 3 === 0),
        shape,
        'bool',
      )
    : tf.tensor(
        Array.from({length: shape.reduce((a, b) => a * b, 1)}, (_, i) => i * 0.5 - 7),
        shape,
        dtype,
      );

describe('Slice', () => {
  const cases: [string, number[], number[], number[], ('float32' | 'int32' | 'bool')?][] = [
    ['rows of a matrix', [50, 7], [12, 0], [20, 7]],
    ['rows of a 4-D tensor', [9, 4, 3, 2], [2, 0, 0, 0], [5, -1, -1, -1]],
    ['a sub-block of the last rows (contiguous)', [6, 5], [3, 0], [1, 5]],
    ['columns (not contiguous: stock path)', [6, 5], [0, 1], [6, 3]],
    ['a 3-D window (stock path)', [4, 5, 6], [1, 2, 3], [2, 2, 2]],
    ['int32 rows', [10, 3], [4, 0], [3, 3], 'int32'],
    ['bool rows', [10, 3], [4, 0], [3, 3], 'bool'],
    ['a vector', [40], [5], [30]],
    ['an empty slice', [10, 3], [4, 0], [0, 3]],
  ];
  for (const [name, shape, begin, size, dtype] of cases) {
    it(`equals the stock kernel: ${name}`, async () => {
      const x = seq(shape, dtype);
      const {stock, trellis} = await both(() => tf.slice(x, begin, size));
      expect(trellis).toEqual(stock);
      x.dispose();
    });
  }

  it('takes a batch without reading the whole input back (the stock kernel does)', async () => {
    const x = tf.zeros([5_000, 784]);
    const backend = tf.backend() as unknown as {readSync(dataId: unknown): unknown};
    const reads = vi.spyOn(backend, 'readSync');
    tf.tidy(() => tf.slice(x, [128, 0], [128, 784]));
    tf.tidy(() => tf.gather(x, tf.tensor1d([7, 4_999, 0], 'int32')));
    expect(reads).not.toHaveBeenCalled();
    restoreStockKernels();
    tf.tidy(() => tf.slice(x, [128, 0], [128, 784]));
    expect(reads).toHaveBeenCalled();
    reads.mockRestore();
    await wasm().register();
    x.dispose();
  });

  it('has a gradient equal to the stock kernel', async () => {
    const x = seq([8, 3]);
    const {stock, trellis} = await both(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.slice(t, [2, 0], [3, 3]), 2)))(x));
    expect(trellis).toEqual(stock);
    x.dispose();
  });
});

describe('GatherV2', () => {
  it('equals the stock kernel along axis 0, for float32, int32 and bool, short and long rows, repeated indices', async () => {
    // Rows of 1 and 12 elements take the element loop, rows of 20 the block copy.
    for (const shape of [[20], [20, 4, 3], [20, 5, 4]]) {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const x = seq(shape, dtype);
        const idx = tf.tensor1d([3, 3, 19, 0, 7], 'int32');
        const {stock, trellis} = await both(() => tf.gather(x, idx));
        expect(trellis).toEqual(stock);
        tf.dispose([x, idx]);
      }
    }
  });

  it('equals the stock kernel for 2-D indices, other axes (stock path) and no indices', async () => {
    const x = seq([6, 5, 4]);
    const idx2 = tf.tensor2d(
      [
        [1, 2],
        [5, 0],
      ],
      [2, 2],
      'int32',
    );
    const idxAxis = tf.tensor1d([4, 0, 2], 'int32');
    for (const f of [
      () => tf.gather(x, idx2),
      () => tf.gather(x, idxAxis, 1),
      () => tf.gather(x, idxAxis, -2),
      () => tf.gather(x, tf.tensor1d([], 'int32')),
    ]) {
      const {stock, trellis} = await both(f);
      expect(trellis).toEqual(stock);
    }
    tf.dispose([x, idx2, idxAxis]);
  });

  it('rejects an out-of-range index like the stock kernel', () => {
    const x = seq([4, 2]);
    const idx = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, idx)).toThrow(/GatherV2: the index value 4 is not in \[0, 3\]/);
    tf.dispose([x, idx]);
  });

  // The gather gradient (UnsortedSegmentSum, which only Trellis provides on
  // wasm) is tested in training-kernels.test.ts.
});

it('leaks no tensor and no backend data', async () => {
  const x = seq([100, 8]);
  const idx = tf.tensor1d([3, 50, 99], 'int32');
  const dataIds = () => tf.engine().backend.numDataIds();
  const before = dataIds();
  await expectNoTensorLeaks(
    () => {
      tf.tidy(() => {
        tf.slice(x, [10, 0], [20, 8]);
        tf.gather(x, idx);
        tf.slice(x, [0, 1], [5, 2]);
      });
    },
    {times: 5},
  );
  expect(dataIds()).toBe(before);
  tf.dispose([x, idx]);
});
