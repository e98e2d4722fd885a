// A step that fails leaves the model as it was and no tensor behind: errors thrown in the
// forward pass or the loss, and metrics that do not fit the loss.
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {
  ConfigError,
  Sequential,
  adam,
  dense,
  meanSquaredError,
  metrics,
  setSeed,
  sparseCategoricalCrossentropy,
  type Layer,
  type Loss,
} from '../index';
import {withSpec} from '@trellis/core';
import {onCpuWith} from '../../test/cpu';
import {weightValues} from '../../test/weight-values';

const data = onCpuWith(() => ({
  x: tf.randomUniform([24, 3], -1, 1, 'float32', 1),
  labels: tf.tensor1d(
    Array.from({length: 24}, (_, i) => i % 3),
    'int32',
  ),
  y: tf.randomUniform([24, 3], -1, 1, 'float32', 2),
}));

/** A layer whose call throws after some work on the tape, once `armed`. */
function trap(): Layer & {armed: boolean} {
  const layer = {
    name: 'trap',
    armed: true,
    spec: {id: 'test/trap', config: {}},
    build: (shape: readonly number[]) => shape,
    call(input: tf.Tensor) {
      const h = tf.mul(tf.relu(input), 2);
      if (layer.armed) throw new Error('trap sprung');
      return h;
    },
  };
  return layer;
}

describe('an error inside the step', () => {
  it('from a layer in the forward pass: fit and evaluate reject with it and leak nothing, every time', async () => {
    setSeed(2);
    const t = trap();
    const m = new Sequential([dense({units: 4, inputShape: [3]}), t, dense({units: 3})]);
    m.compile({optimizer: adam(), loss: meanSquaredError()});
    const weights = weightValues(m);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await expect(m.fit(data.x, data.y, {epochs: 1, batchSize: 8})).rejects.toThrow('trap sprung');
      await expect(m.evaluate(data.x, data.y)).rejects.toThrow('trap sprung');
      await expect(m.trainOnBatch(data.x, data.y)).rejects.toThrow('trap sprung');
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(weightValues(m)).toEqual(weights);
    t.armed = false;
    await m.fit(data.x, data.y, {epochs: 1, batchSize: 8});
    m.dispose();
  });

  it('from a custom loss: fit rejects with it and leaks nothing', async () => {
    setSeed(2);
    const m = new Sequential([dense({units: 3, inputShape: [3]})]);
    const failing = withSpec(
      {id: 'test/failing', config: {}},
      ((yTrue: tf.Tensor, yPred: tf.Tensor) => {
        tf.sub(yTrue, yPred);
        throw new Error('loss exploded');
      }) as unknown as Loss,
      {name: 'failing', targetKind: 'regression', fromLogits: false},
    ) as unknown as Loss;
    m.compile({optimizer: adam(), loss: failing});
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await expect(m.fit(data.x, data.y, {epochs: 1, batchSize: 8})).rejects.toThrow('loss exploded');
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('a metric that does not fit the loss', () => {
  it('fails before the first update (weights untouched) with a ConfigError naming the metric, and leaks nothing', async () => {
    setSeed(3);
    const m = new Sequential([dense({units: 3, activation: 'softmax', inputShape: [3]})]);
    m.compile({optimizer: adam({learningRate: 0.1}), loss: sparseCategoricalCrossentropy(), metrics: [metrics.categoricalAccuracy()]});
    const weights = weightValues(m);
    const before = tf.memory().numTensors;
    const error = await m.fit(data.x, data.labels, {epochs: 1, batchSize: 8}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(ConfigError.is(error) || (error as Error)?.name === 'ShapeError').toBe(true);
    expect((error as Error).message).toMatch(/categorical_accuracy|categoricalAccuracy/);
    expect(weightValues(m)).toEqual(weights);
    expect(tf.memory().numTensors).toBe(before);
    await expect(m.evaluate(data.x, data.labels)).rejects.toThrow(/categorical_accuracy|categoricalAccuracy/);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
