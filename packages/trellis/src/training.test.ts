// The default assembly end to end on real MNIST: leaks, determinism, bad input.
import * as tf from '@tensorflow/tfjs-core';
import {catchError, catchErrorAsync} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  DataError,
  Sequential,
  UnknownIdError,
  accuracy,
  adam,
  createTrellis,
  dense,
  dropout,
  loadMnist,
  setSeed,
  sparseCategoricalCrossentropy,
  type Registry,
} from './index';
import {isTrellisError} from '@trellis/core';
import {weightValues} from '../test/weight-values';

let x: tf.Tensor;
let y: tf.Tensor;
let registry: Registry;

beforeAll(async () => {
  ({registry} = await createTrellis({backend: 'cpu'}));
  const {train} = await loadMnist({split: 'train', samples: 512});
  x = train.x;
  y = train.y;
});

function mlp() {
  return new Sequential([
    dense({units: 64, activation: 'relu', inputShape: [784]}),
    dropout({rate: 0.2}),
    dense({units: 10, activation: 'softmax'}),
  ]);
}

describe('the default assembly', () => {
  it('leaks no tensor: the count after epoch 5 equals the count after epoch 1', async () => {
    const model = mlp();
    model.compile({optimizer: adam(), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
    const counts: number[] = [];
    await model.fit(x, y, {
      epochs: 5,
      batchSize: 64,
      validationSplit: 0.1,
      callbacks: [
        {
          name: 'count',
          onBatchEnd: async (c) => void (c.batch === 0 && (await c.readLogs())),
          onEpochEnd: () => void counts.push(tf.memory().numTensors),
        },
      ],
    });
    expect(counts).toHaveLength(5);
    expect(counts[4]).toBe(counts[0]);
    const before = tf.memory().numTensors;
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('is deterministic: two runs with setSeed(42) give bit-identical weights on cpu', async () => {
    const run = async () => {
      setSeed(42);
      const model = mlp();
      model.compile({optimizer: adam(), loss: sparseCategoricalCrossentropy()});
      await model.fit(x, y, {epochs: 2, batchSize: 64, validationSplit: 0.1});
      const out = weightValues(model);
      model.dispose();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(Object.keys(a)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    for (const k of Object.keys(a)) expect(b[k], k).toEqual(a[k]);
  });

  it('compiles with ids from the registry', async () => {
    const model = mlp();
    model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], registry});
    const history = await model.fit(x, y, {epochs: 1, batchSize: 128});
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss']);
    model.dispose();
  });
});

describe('bad input with real plugins', () => {
  it('labels out of range for sparse crossentropy give a DataError and leak nothing', async () => {
    const model = mlp();
    model.compile({optimizer: adam(), loss: sparseCategoricalCrossentropy()});
    const bad = tf.tensor1d([1, 2, 10, 3], 'int32');
    const xs = tf.slice(x, [0, 0], [4, 784]);
    const before = tf.memory().numTensors;
    const error = await catchErrorAsync(() => model.fit(xs, bad));
    expect(isTrellisError(error)).toBe(true);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/10/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([bad, xs]);
    model.dispose();
  });

  it('an unknown loss or optimizer id lists the known ids', () => {
    const model = mlp();
    const error = catchError(() => model.compile({optimizer: 'adabound', loss: 'sparseCategoricalCrossentropy', registry}));
    expect(error).toBeInstanceOf(UnknownIdError);
    expect(error.message).toMatch(/Unknown optimizer id 'adabound'.*trellis\/adam.*trellis\/sgd/);
    expect(() => model.compile({optimizer: 'adam', loss: 'ctc', registry})).toThrow(
      /Unknown loss id 'ctc'.*trellis\/sparseCategoricalCrossentropy/,
    );
    model.dispose();
  });
});
