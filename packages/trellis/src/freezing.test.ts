// Freezing for transfer learning: `layer.trainable = false` takes effect at the
// next step without recompiling; optimizer state (keyed by name) survives
// freezing and unfreezing; frozen batch normalization runs in inference mode.
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {Sequential, batchNormalization, dense, meanSquaredError, setSeed, sgd, type Regularizer} from './index';
import {withSpec} from '@trellis/core';
import {onCpuWith} from '../test/cpu';
import {twoLayerRegressor} from '../test/two-layer-regressor';

const data = onCpuWith(() => ({
  x: tf.randomUniform([64, 6], -1, 1, 'float32', 5),
  y: tf.randomUniform([64, 2], -1, 1, 'float32', 6),
}));

const values = (m: Sequential, prefix: string) =>
  Object.fromEntries(
    Object.entries(m.getWeights())
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, t]) => {
        const v = Array.from(t.dataSync());
        t.dispose();
        return [k, v];
      }),
  );

const twoLayers = () => twoLayerRegressor({seed: 3, inputs: 6, activation: 'tanh'});

describe('layer.trainable', () => {
  it('freezes a layer from the next step on, without recompiling, and unfreezes it the same way', async () => {
    const model = twoLayers();
    const [first, second] = model.layers as [Sequential['layers'][number], Sequential['layers'][number]];
    let frozenAt: Record<string, number[]> = {};
    await model.fit(data.x, data.y, {
      epochs: 2,
      batchSize: 16,
      shuffle: false,
      callbacks: [
        {
          name: 'freeze after 3 steps',
          onBatchEnd: (c) => {
            if (c.step === 3) {
              first.trainable = false;
              frozenAt = values(model, 'dense/');
            }
          },
        },
      ],
    });
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
    expect(values(model, 'dense/')).toEqual(frozenAt);
    const secondBefore = values(model, 'dense_1/');
    first.trainable = true;
    await model.fit(data.x, data.y, {epochs: 1, batchSize: 16, shuffle: false});
    expect(values(model, 'dense/')).not.toEqual(frozenAt);
    expect(values(model, 'dense_1/')).not.toEqual(secondBefore);
    expect(second.trainable).toBeUndefined();
    model.dispose();
  });

  it("keeps a frozen layer's optimizer slots untouched and resumes from them when unfrozen", async () => {
    const model = twoLayers();
    await model.fit(data.x, data.y, {epochs: 1, batchSize: 16, shuffle: false});
    const slots = () => {
      const {state} = model.optimizer.getState();
      const flat: Record<string, number[]> = {};
      const walk = (node: unknown, path: string) => {
        if (node instanceof tf.Tensor) {
          if (path.includes('dense/')) flat[path] = Array.from(node.dataSync());
          node.dispose();
        } else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
        }
      };
      walk(state, 'state');
      return flat;
    };
    const before = slots();
    expect(Object.keys(before).length).toBeGreaterThan(0);
    model.layers[0]!.trainable = false;
    await model.fit(data.x, data.y, {epochs: 1, batchSize: 16, shuffle: false});
    expect(slots()).toEqual(before);
    model.layers[0]!.trainable = true;
    await model.fit(data.x, data.y, {epochs: 1, batchSize: 16, shuffle: false});
    expect(slots()).not.toEqual(before);
    model.dispose();
  });

  it("drops a frozen layer's weight penalty from the loss, as Keras does", async () => {
    const l2: Regularizer = withSpec({id: 'test/l2', config: {}}, (w: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(w))) as tf.Scalar);
    setSeed(4);
    const model = new Sequential([dense({units: 3, inputShape: [6], kernelRegularizer: l2}), dense({units: 2})]);
    model.compile({optimizer: sgd({learningRate: 0.01}), loss: meanSquaredError()});
    const withPenalty = (await model.evaluate(data.x, data.y, {batchSize: 64})).loss!;
    model.layers[0]!.trainable = false;
    const withoutPenalty = (await model.evaluate(data.x, data.y, {batchSize: 64})).loss!;
    const kernel = model.getWeights()['dense/kernel']!;
    const penalty = tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(kernel))).dataSync()[0]!);
    expect(withPenalty - withoutPenalty).toBeCloseTo(penalty, 4);
    kernel.dispose();
    model.dispose();
  });

  it('runs a frozen batch normalization in inference mode: no statistics or weights change', async () => {
    setSeed(5);
    const bn = batchNormalization();
    const model = new Sequential([dense({units: 4, inputShape: [6]}), bn, dense({units: 2})]);
    model.compile({optimizer: sgd({learningRate: 0.05}), loss: meanSquaredError()});
    await model.fit(data.x, data.y, {epochs: 1, batchSize: 16});
    const before = values(model, 'batch_normalization/');
    bn.trainable = false;
    await model.fit(data.x, data.y, {epochs: 1, batchSize: 16});
    expect(values(model, 'batch_normalization/')).toEqual(before);
    expect(bn.spec.config).toMatchObject({trainable: false});
    model.dispose();
  });
});
