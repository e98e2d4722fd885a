// fit, evaluate and predict on webgpu with plain arrays and with tensors that
// live on the GPU. Their data checks (NaN in the features, the loss's target
// check, sample and class weights) read back asynchronously, so they work
// where the backend cannot read synchronously (Node has no OffscreenCanvas);
// bad data is refused on webgpu with the message cpu gives.
//
// Tolerance: float32 on both sides, 12 Adam steps over 48 samples; each step's
// rounding differences (≤ 1e-6 relative, see ./compare.ts) are passed on to
// the next, so losses, accuracies and predictions must agree to 1e-4 relative.
// A wrong kernel or a skipped check changes them at the percent level.
import * as tf from '@tensorflow/tfjs-core';
import {DataError, Sequential, setSeed, type TensorInput} from '@trellis/core';
import {dense, sparseCategoricalCrossentropy} from '@trellis/layers';
import {accuracy} from '@trellis/metrics';
import {adam} from '@trellis/optimizers';
import {describe, expect, it} from 'vitest';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu('fit/evaluate/predict with arrays on webgpu');

const SAMPLES = 64;
const FEATURES = 4;
const CLASSES = 3;

/** A small three-class problem as nested arrays: the class is where the largest of the first three features is. */
function problem(): {x: number[][]; y: number[]; w: number[]} {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const x = Array.from({length: SAMPLES}, () => Array.from({length: FEATURES}, () => next() * 2 - 1));
  const y = x.map((row) => row.slice(0, CLASSES).indexOf(Math.max(...row.slice(0, CLASSES))));
  const w = y.map((_, i) => 0.5 + (i % 4) / 4);
  return {x, y, w};
}

function newModel(): Sequential {
  setSeed(7);
  const model = new Sequential([
    dense({units: 8, activation: 'relu', inputShape: [FEATURES]}),
    dense({units: CLASSES, activation: 'softmax'}),
  ]);
  model.compile({optimizer: adam({learningRate: 0.02}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  return model;
}

type Results = {history: Record<string, number[]>; evaluation: Record<string, number>; predictions: Float32Array};

/**
 * fit (with a validation split, sample weights and class weights), evaluate
 * and predict on `backend`, the data passed as `form`: nested arrays, or
 * tensors computed on the backend (so they live on the GPU on webgpu).
 */
async function run(backend: 'cpu' | 'webgpu', form: 'arrays' | 'tensors'): Promise<Results> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const {x, y, w} = problem();
  // `tf.add(t, 0)` runs a kernel, so the result lives on the backend (GPU memory on webgpu), not on the host.
  const onDevice = (values: number[] | number[][], dtype: 'float32' | 'int32' = 'float32') =>
    tf.tidy(() => tf.add(tf.tensor(values, undefined, dtype), tf.scalar(0, dtype)));
  const data: TensorInput[] = form === 'arrays' ? [x, y, w] : [onDevice(x), onDevice(y, 'int32'), onDevice(w)];
  const [xs, ys, ws] = data as [TensorInput, TensorInput, TensorInput];
  const model = newModel();
  try {
    const history = await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 16,
      validationSplit: 0.25,
      sampleWeight: ws,
      classWeight: {0: 1, 1: 2, 2: 0.5},
      verbose: 0,
    });
    const evaluation = await model.evaluate(xs, ys, {batchSize: 32});
    const predicted = model.predict(xs) as tf.Tensor;
    const predictions = (await predicted.data()) as Float32Array;
    predicted.dispose();
    return {history: history.history as Record<string, number[]>, evaluation, predictions};
  } finally {
    model.dispose();
    if (form === 'tensors') tf.dispose(data as tf.Tensor[]);
    expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
    await tf.setBackend('cpu');
  }
}

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: webgpu ${actual}, cpu ${expected}`).toBeLessThanOrEqual(1e-4 * Math.abs(expected) + 1e-6);
}

/** The error `body` rejects with (an error if it resolves). */
async function rejection(body: () => Promise<unknown>): Promise<Error> {
  try {
    await body();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected a rejection on ${tf.getBackend()}`);
}

/** Records `t` in `made` (disposed by the caller) and returns it. */
function keep(made: tf.Tensor[], t: tf.Tensor): tf.Tensor {
  made.push(t);
  return t;
}

describe.skipIf(skip)('fit, evaluate and predict on webgpu', () => {
  for (const form of ['arrays', 'tensors'] as const) {
    it(`train, evaluate and predict from ${form} as on cpu`, async () => {
      expectWebGpu(availability);
      const cpu = await run('cpu', form);
      const gpu = await run('webgpu', form);
      expect(Object.keys(gpu.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
      for (const [key, values] of Object.entries(cpu.history)) {
        values.forEach((v, epoch) => expectClose(gpu.history[key]![epoch]!, v, `${key} epoch ${epoch + 1}`));
      }
      expect(gpu.history.loss![2]!).toBeLessThan(gpu.history.loss![0]!);
      for (const [key, v] of Object.entries(cpu.evaluation)) expectClose(gpu.evaluation[key]!, v, `evaluate ${key}`);
      expect(gpu.predictions.length).toBe(SAMPLES * CLASSES);
      cpu.predictions.forEach((p, i) => expectClose(gpu.predictions[i]!, p, `prediction ${i}`));
    });
  }

  it('fitDataset trains on batches that live on the GPU', async () => {
    expectWebGpu(availability);
    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    const {x, y} = problem();
    const model = newModel();
    try {
      const batches = () =>
        Array.from({length: 4}, (_, i) =>
          tf.tidy(() => ({
            x: tf.mul(tf.tensor2d(x.slice(i * 16, (i + 1) * 16)), 1),
            y: tf.add(tf.tensor1d(y.slice(i * 16, (i + 1) * 16), 'int32'), tf.scalar(0, 'int32')),
          })),
        );
      const history = await model.fitDataset(batches, {epochs: 2, batchesPerEpoch: 4, verbose: 0});
      expect(history.history.loss!.every(Number.isFinite)).toBe(true);
      expect(history.history.loss![1]!).toBeLessThan(history.history.loss![0]!);
    } finally {
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('cpu');
    }
  });

  it('refuses NaN features, out-of-range labels and bad weights with the messages cpu gives', async () => {
    expectWebGpu(availability);
    const {x, y} = problem();
    const withNaN = x.map((row, i) => (i === 5 ? [row[0]!, Number.NaN, row[2]!, row[3]!] : row));
    const outOfRange = y.map((label, i) => (i === 9 ? CLASSES : label));
    const negativeWeights = y.map((_, i) => (i === 11 ? -1 : 1));
    // Tensors made by a kernel live on the GPU on webgpu.
    const gpuX = () => tf.tidy(() => tf.mul(tf.tensor2d(withNaN), 1));
    const gpuY = () => tf.tidy(() => tf.add(tf.tensor1d(outOfRange, 'int32'), tf.scalar(0, 'int32')));
    type Case = [string, (model: Sequential, made: tf.Tensor[]) => Promise<unknown>, RegExp];
    const cases: Case[] = [
      ['NaN in x (fit)', (m, made) => m.fit(keep(made, gpuX()), y, {verbose: 0}), /x holds NaN at sample 5/],
      ['NaN in x (evaluate)', (m) => m.evaluate(withNaN, y), /x holds NaN at sample 5/],
      ['label 3 for 3 classes', (m, made) => m.fit(x, keep(made, gpuY()), {verbose: 0}), /is 3, but sparse targets/],
      ['a negative sample weight', (m) => m.fit(x, y, {sampleWeight: negativeWeights, verbose: 0}), /sampleWeight holds -1 at sample 11/],
      ['NaN in validation x', (m) => m.fit(x, y, {validationData: [withNaN, y], verbose: 0}), /validationData x holds NaN/],
    ];
    for (const [what, body, message] of cases) {
      const errors: Error[] = [];
      for (const backend of ['cpu', 'webgpu'] as const) {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const model = newModel();
        const made: tf.Tensor[] = [];
        try {
          errors.push(await rejection(() => body(model, made)));
        } finally {
          model.dispose();
          tf.dispose(made);
          expect(tf.memory().numTensors, `${what}: tensors leaked on ${backend}`).toBe(before);
          await tf.setBackend('cpu');
        }
      }
      const [cpu, gpu] = errors as [Error, Error];
      expect(DataError.is(gpu), `${what}: ${gpu.message}`).toBe(true);
      expect(gpu.message, what).toMatch(message);
      expect(gpu.message, what).toBe(cpu.message);
    }
  });

  it('predict reads nothing back: GPU features give predictions without a synchronous read', async () => {
    expectWebGpu(availability);
    await tf.setBackend('webgpu');
    const model = newModel();
    try {
      const x = tf.tidy(() => tf.mul(tf.tensor2d(problem().x), 1));
      const p = model.predict(x) as tf.Tensor;
      const rowSums = tf.sum(p, 1);
      const sums = await rowSums.data();
      expect(p.shape).toEqual([SAMPLES, CLASSES]);
      expect(Array.from(sums).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
      tf.dispose([x, p, rowSums]);
    } finally {
      model.dispose();
      await tf.setBackend('cpu');
    }
  });
});
