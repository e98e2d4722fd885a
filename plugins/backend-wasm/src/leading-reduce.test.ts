// Trellis' Sum and Mean on wasm against the cpu backend: reductions over the
// leading axes (Trellis' loop) and every other reduction (the stock kernel),
// float64 accumulation, the gradients of batch-norm moments, and leaks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {useBackend} from '@trellis/core';
import {expectNoTensorLeaks, randomValues} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {restoreStockKernels, wasm} from './index';

beforeAll(async () => {
  await useBackend(wasm());
});

type Result = {shape: number[]; dtype: tf.DataType; values: number[]};

/** Runs `f` on `backend` with a fresh tensor of `values`; returns every output. */
async function runOn(
  backend: 'cpu' | 'wasm',
  x: {shape: number[]; values: ArrayLike<number>; dtype?: 'float32' | 'int32'},
  f: (x: tf.Tensor) => tf.Tensor | tf.Tensor[],
): Promise<Result[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const out = f(tf.tensor(Array.from(x.values), x.shape, x.dtype ?? 'float32'));
    return (Array.isArray(out) ? out : [out]).map((t) => ({shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync())}));
  });
}

/** The largest `|wasm − cpu| / max|cpu|` over the outputs of `f`, after checking shapes and dtypes agree. */
async function errorAgainstCpu(
  x: {shape: number[]; values: ArrayLike<number>; dtype?: 'float32' | 'int32'},
  f: (x: tf.Tensor) => tf.Tensor | tf.Tensor[],
): Promise<number> {
  const cpu = await runOn('cpu', x, f);
  const onWasm = await runOn('wasm', x, f);
  expect(onWasm.map((o) => [o.shape, o.dtype])).toEqual(cpu.map((o) => [o.shape, o.dtype]));
  let worst = 0;
  cpu.forEach((expected, i) => {
    const scale = Math.max(...expected.values.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    const actual = onWasm[i]!.values;
    for (let k = 0; k < actual.length; k++) worst = Math.max(worst, Math.abs(actual[k]! - expected.values[k]!) / scale);
  });
  return worst;
}

const random = (shape: number[], seed: number) => ({shape, values: randomValues(tf.util.sizeFromShape(shape), seed, -1, 2)});

describe('Sum and Mean (replaced: the stock kernels transpose the input first)', () => {
  const cases: [string, number[], number | number[], boolean][] = [
    ['N, H, W of an NHWC tensor (a conv bias gradient, batch-norm moments)', [3, 5, 4, 6], [0, 1, 2], false],
    ['N, H, W with keepDims', [3, 5, 4, 6], [0, 1, 2], true],
    ['negative axes', [3, 5, 4, 6], [-4, -3, -2], false],
    ['leading axes listed out of order', [4, 3, 5], [1, 0], true],
    ['the batch of a matrix (a dense bias gradient)', [7, 9], 0, false],
    ['one leading axis of a 3-D tensor', [6, 2, 3], [0], true],
    ['a trailing axis of 1', [10, 4, 1], [0, 1], false],
    ['a middle axis (stock)', [4, 5, 6], [1], false],
    ['leading and trailing axes (stock)', [4, 5, 6], [0, 2], true],
    ['every axis (stock)', [4, 5, 6], [0, 1, 2], false],
    ['the last axis (stock)', [4, 5, 6], -1, true],
    ['a vector (stock)', [12], 0, false],
  ];
  for (const [name, shape, axis, keepDims] of cases) {
    it(`equal the cpu kernels: ${name}`, async () => {
      const x = random(shape, shape.length * 31 + shape[0]!);
      expect(await errorAgainstCpu(x, (t) => [tf.sum(t, axis, keepDims), tf.mean(t, axis, keepDims)])).toBeLessThanOrEqual(1e-6);
    });
  }

  it('equal the cpu kernels for int32 input (stock), keeping the dtypes', async () => {
    const x = {shape: [5, 3, 2], values: Array.from({length: 30}, (_, i) => (i * 7) % 11), dtype: 'int32' as const};
    expect(await errorAgainstCpu(x, (t) => [tf.sum(t, [0, 1]), tf.mean(t, [0, 1])])).toBe(0);
  });

  it('return zeros for an empty reduction, like the cpu kernels (the stock ones return uninitialized memory)', async () => {
    const read = async (backend: 'cpu' | 'wasm', dtype: 'float32' | 'int32') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.zeros([0, 3, 2], dtype);
        return [tf.sum(x, 0), tf.mean(x, [0, 1], true), tf.sum(x, [1, 2]), tf.sum(x, 1)].map((t) => ({
          shape: t.shape,
          dtype: t.dtype,
          values: Array.from(t.dataSync()),
        }));
      });
    };
    for (const dtype of ['float32', 'int32'] as const) {
      const cpu = await read('cpu', dtype);
      expect(cpu[0]!.values).toEqual([0, 0, 0, 0, 0, 0]);
      expect(cpu[1]!.values).toEqual([0, 0]);
      expect(await read('wasm', dtype)).toEqual(cpu);
    }
  });

  it('add in float64 like the cpu backend: 200,000 rows of 0.1 sum to 20,000 within float32 rounding', async () => {
    const x = {shape: [200_000, 2], values: new Float32Array(400_000).fill(0.1)};
    expect(await errorAgainstCpu(x, (t) => [tf.sum(t, 0), tf.mean(t, 0)])).toBeLessThanOrEqual(1e-7);
    const onWasm = await runOn('wasm', x, (t) => tf.sum(t, 0));
    expect(Math.abs(onWasm[0]!.values[0]! - 20_000)).toBeLessThan(0.01);
  });

  it('are more accurate than the stock kernels they replace (float32 running sums)', async () => {
    const x = {shape: [200_000, 2], values: new Float32Array(400_000).fill(0.1)};
    restoreStockKernels();
    try {
      const stock = await runOn('wasm', x, (t) => tf.sum(t, 0));
      expect(Math.abs(stock[0]!.values[0]! - 20_000)).toBeGreaterThan(0.01);
    } finally {
      await wasm().register();
    }
  });

  it('give the gradients of batch-norm moments of the cpu backend', async () => {
    const x = random([4, 6, 5, 3], 7);
    const weights = randomValues(3, 8);
    const error = await errorAgainstCpu(x, (t) =>
      tf.grad((a: tf.Tensor) => {
        const {mean, variance} = tf.moments(a, [0, 1, 2]);
        const normalized = tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-3)));
        return tf.sum(tf.mul(tf.square(normalized), tf.tensor1d(weights)));
      })(t),
    );
    expect(error).toBeLessThanOrEqual(1e-5);
  });

  it('leak no tensor and no backend data', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(randomValues(2 * 4 * 4 * 3, 5), [2, 4, 4, 3]);
    const step = () =>
      tf.tidy(() => {
        tf.sum(x, [0, 1, 2]);
        tf.mean(x, [0, 1], true);
        tf.sum(x, [1]);
        tf.mean(tf.cast(x, 'int32'), 0);
      });
    step();
    const before = tf.engine().backend.numDataIds();
    await expectNoTensorLeaks(step, {times: 3});
    expect(tf.engine().backend.numDataIds()).toBe(before);
    x.dispose();
  });
});
