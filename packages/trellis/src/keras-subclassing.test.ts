// Subclassed models written as in Keras: layers assigned to properties
// (arrays and nested models too) are tracked without this.track(...),
// layer.apply(tensor) runs a layer eagerly, and call needs no context.
import * as tf from '@tensorflow/tfjs-core';
import {Model, type CallContext} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {ConfigError, input, layers, losses, optimizers, setSeed} from './index';
import {onCpuWith} from '../test/cpu';

const data = onCpuWith(() => ({
  x: tf.randomUniform([40, 5], -1, 1, 'float32', 11),
  y: tf.randomUniform([40, 2], -1, 1, 'float32', 12),
}));

/** A block of two layers with dropout: a nested subclassed model, Keras style. */
class Block extends Model {
  readonly inner = layers.dense({units: 6, activation: 'relu'});
  readonly drop = layers.dropout({rate: 0.25});

  call(input: tf.Tensor): tf.Tensor {
    return this.drop.apply(this.inner.apply(input));
  }
}

/** Keras style: plain property assignment, an array of layers, a nested model; no context anywhere. */
class KerasStyle extends Model {
  readonly stack = [layers.dense({units: 8, activation: 'tanh'}), layers.dense({units: 8, activation: 'tanh'})];
  readonly block = new Block();
  readonly head: ReturnType<typeof layers.dense>;

  constructor() {
    super('keras_style');
    this.head = layers.dense({units: 2});
  }

  call(input: tf.Tensor): tf.Tensor {
    let h = input;
    for (const layer of this.stack) h = layer.apply(h);
    return this.head.apply(this.block.call(h));
  }
}

/** The same network with this.track(...) and explicit contexts. */
class Tracked extends Model {
  readonly first = this.track(layers.dense({units: 8, activation: 'tanh'}));
  readonly second = this.track(layers.dense({units: 8, activation: 'tanh'}));
  readonly inner = this.track(layers.dense({units: 6, activation: 'relu'}));
  readonly drop = this.track(layers.dropout({rate: 0.25}));
  readonly head = this.track(layers.dense({units: 2}));

  constructor() {
    super('tracked');
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const h = this.second.call(this.first.call(input, context), context);
    return this.head.call(this.drop.call(this.inner.call(h, context), context), context);
  }
}

const arrays = (ws: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(ws).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('Keras-style subclassed models', () => {
  it('track layers assigned to properties, arrays and nested models, and train bit-identically to this.track', async () => {
    const train = async (make: () => Model) => {
      setSeed(7);
      const model = make();
      model.build([5]);
      model.compile({optimizer: optimizers.adam({learningRate: 0.01}), loss: losses.meanSquaredError()});
      const history = await model.fit(data.x, data.y, {epochs: 3, batchSize: 8, shuffle: false, verbose: 0});
      return {model, history};
    };
    const a = await train(() => new KerasStyle());
    const b = await train(() => new Tracked());
    expect(a.model.weights.map((w) => w.name)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense_1/kernel',
      'dense_1/bias',
      'dense_2/kernel',
      'dense_2/bias',
      'dense_3/kernel',
      'dense_3/bias',
    ]);
    expect(a.model.weights.map((w) => w.name)).toEqual(b.model.weights.map((w) => w.name));
    expect(a.history.history.loss).toEqual(b.history.history.loss);
    const [wa, wb] = [a.model.getWeights(), b.model.getWeights()];
    expect(arrays(wa)).toEqual(arrays(wb));
    expect(a.model.summary({print: false}).layers.map((l) => l.name)).toEqual(['dense', 'dense_1', 'dense_2', 'dropout', 'dense_3']);
    // Dropout is active in training only: predictions are deterministic and match.
    const [pa, pb] = [a.model.predict(data.x), b.model.predict(data.x)];
    expect(Array.from(pa.dataSync())).toEqual(Array.from(pb.dataSync()));
    tf.dispose([pa, pb, ...Object.values(wa), ...Object.values(wb)]);
    a.model.dispose();
    b.model.dispose();
  });

  it('layer.apply(tensor) runs a built layer eagerly in inference mode, and keeps the symbolic form', () => {
    setSeed(1);
    const model = new KerasStyle();
    model.build([5]);
    const head = model.head;
    const h = tf.ones([3, 6]);
    const eager = head.apply(h);
    const direct = head.call(h, {training: false, nextSeed: () => 0});
    expect(eager.shape).toEqual([3, 2]);
    expect(Array.from(eager.dataSync())).toEqual(Array.from(direct.dataSync()));
    const drop = model.block.drop.apply(h);
    expect(Array.from(drop.dataSync())).toEqual(Array.from(h.dataSync())); // inference: no dropout
    tf.dispose([h, eager, direct, drop]);
    model.dispose();
    const symbolic = layers.dense({units: 4}).apply(input({shape: [3]}));
    expect(symbolic.shape).toEqual([4]);
  });

  it('refuses a nested model that cannot be adopted, and an unbuilt loose layer says so', () => {
    class HoldsSequential extends Model {
      readonly seq = layers.dense({units: 2});
      readonly built2 = (() => {
        const m = new Block();
        m.build([2]);
        return m;
      })();
      call(input: tf.Tensor): tf.Tensor {
        return this.seq.apply(input);
      }
    }
    const model = new HoldsSequential();
    expect(() => model.build([3])).toThrow(ConfigError);
    expect(() => model.build([3])).toThrow(/not built yet/);
    const loose = layers.dense({units: 2});
    const t = tf.ones([1, 2]);
    expect(() => loose.apply(t)).toThrow(/build/i);
    t.dispose();
  });
});
