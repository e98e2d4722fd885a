// Subclassed models: layers tracked with `this.track(...)` are built on first
// use, their weights are the model's (named like Keras), they appear in
// summary() and getWeights(), and training matches the same network written
// as a Sequential model.
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {ConfigError, Sequential, adam, dense, layers, meanSquaredError, setSeed, type CallContext} from './index';
import {Model} from '@trellis/core';
import {onCpuWith} from '../test/cpu';

const data = onCpuWith(() => ({
  x: tf.randomUniform([48, 5], -1, 1, 'float32', 8),
  y: tf.randomUniform([48, 2], -1, 1, 'float32', 9),
}));

class Mlp extends Model {
  readonly hidden = this.track(dense({units: 8, activation: 'relu'}));
  readonly head = this.track(dense({units: 2}));

  constructor() {
    super('mlp');
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    return this.head.call(this.hidden.call(input, context), context);
  }
}

/** A residual block: the same dense layer applied twice, added to its input. */
class Residual extends Model {
  readonly inner = this.track(dense({units: 5, activation: 'tanh'}));
  readonly sum = this.track(layers.add());
  readonly head = this.track(dense({units: 2}));

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const twice = this.inner.call(this.inner.call(input, context), context);
    return this.head.call(this.sum.call([input, twice], context), context);
  }
}

const arrays = (ws: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(ws).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('subclassed models', () => {
  it("track nested layers' weights: getWeights() and summary() show them, named like Keras", () => {
    const model = new Mlp();
    model.build([5]);
    const weights = model.getWeights();
    expect(Object.keys(weights)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    const summary = model.summary({print: false});
    expect(summary.layers).toEqual([
      {name: 'dense', type: 'Dense', outputShape: [null, 8], params: 48, trainableParams: 48},
      {name: 'dense_1', type: 'Dense', outputShape: [null, 2], params: 18, trainableParams: 18},
    ]);
    expect(summary.totalParams).toBe(66);
    tf.dispose(Object.values(weights));
    model.dispose();
  });

  it('train exactly like the same network as a Sequential model', async () => {
    setSeed(21);
    const sequential = new Sequential([dense({units: 8, activation: 'relu', inputShape: [5]}), dense({units: 2})]);
    sequential.build([5]);
    setSeed(21);
    const subclassed = new Mlp();
    subclassed.build([5]);
    for (const m of [sequential, subclassed]) m.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
    const a = await sequential.fit(data.x, data.y, {epochs: 3, batchSize: 16, shuffle: false});
    const b = await subclassed.fit(data.x, data.y, {epochs: 3, batchSize: 16, shuffle: false});
    expect(b.history.loss).toEqual(a.history.loss);
    const [wa, wb] = [sequential.getWeights(), subclassed.getWeights()];
    expect(arrays(wb)).toEqual(arrays(wa));
    tf.dispose([...Object.values(wa), ...Object.values(wb)]);
    sequential.dispose();
    subclassed.dispose();
  });

  it('build on first use, share a layer between calls, take merge layers, and freeze by layer', async () => {
    setSeed(2);
    const model = new Residual();
    model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
    const history = await model.fit(data.x, data.y, {epochs: 2, batchSize: 16});
    expect(history.history.loss![1]!).toBeLessThan(history.history.loss![0]!);
    expect(model.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    expect(model.summary({print: false}).layers.map((l) => [l.name, l.type, l.outputShape])).toEqual([
      ['dense', 'Dense', [null, 5]],
      ['add', 'Add', [null, 5]],
      ['dense_1', 'Dense', [null, 2]],
    ]);
    model.inner.trainable = false;
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
    const before = tf.memory().numTensors;
    await model.fit(data.x, data.y, {epochs: 2, batchSize: 16});
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('without tracked layers, say how to track them', () => {
    class Empty extends Model {
      call(input: tf.Tensor): tf.Tensor {
        return input;
      }
    }
    const model = new Empty();
    expect(() => model.build([3])).toThrow(ConfigError);
    expect(() => model.build([3])).toThrow(/this\.track\(dense/);
  });
});
