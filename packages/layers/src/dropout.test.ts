import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {dropout} from './index';
import {callContext, closeness, createBuildContext, uniform, values} from '../test/testing';

function built(options: Parameters<typeof dropout>[0], inputShape: number[]) {
  const layer = dropout(options);
  expect(layer.build(inputShape, createBuildContext('dropout'))).toEqual(inputShape);
  return layer;
}

describe('dropout', () => {
  it('is the identity outside training (a new tensor with the same values)', () => {
    const layer = built({rate: 0.5}, [4]);
    const x = tf.tensor2d(uniform(randomGenerator(1), 8, -1, 1), [2, 4]);
    const y = layer.call(x, callContext(false));
    expect(y).not.toBe(x);
    expect(values(y)).toEqual(values(x));
    y.dispose();
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  it('in training zeroes about `rate` of the inputs and scales the rest by 1/(1 - rate)', () => {
    const rate = 0.3;
    const layer = built({rate}, [100]);
    const x = tf.ones([100, 100]);
    const y = layer.call(x, callContext(true));
    const scale = Math.fround(1 / (1 - rate));
    const v = values(y);
    expect(v.every((e) => e === 0 || e === scale)).toBe(true);
    const kept = v.filter((e) => e !== 0).length / v.length;
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(0.02);
    // The expected activation is preserved.
    expect(Math.abs(v.reduce((a, b) => a + b, 0) / v.length - 1)).toBeLessThan(0.03);
    tf.dispose([x, y]);
  });

  it('draws the same mask as tfjs-core dropout for the same seed', () => {
    const layer = built({rate: 0.4}, [30]);
    const x = tf.tensor2d(uniform(randomGenerator(2), 20 * 30, -3, 3), [20, 30]);
    const y = layer.call(x, callContext(true, 1234));
    const oracle = tf.dropout(x, 0.4, undefined, 1234);
    expect(closeness(y.dataSync(), oracle.dataSync(), 1e-6, 0)).toBeLessThanOrEqual(1);
    tf.dispose([x, y, oracle]);
  });

  it('is reproducible: the same seed gives the same masks, call after call', () => {
    const x = tf.ones([8, 16]);
    const run = (layer: ReturnType<typeof dropout>, ctxSeed: number) =>
      [0, 1, 2].map(() => {
        const y = layer.call(x, callContext(true, ctxSeed));
        const v = values(y);
        y.dispose();
        return v;
      });
    // A layer seed gives its own stream, independent of the context.
    const a = run(built({rate: 0.5, seed: 42}, [16]), 1);
    const b = run(built({rate: 0.5, seed: 42}, [16]), 2);
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
    expect(run(built({rate: 0.5, seed: 43}, [16]), 1)[0]).not.toEqual(a[0]);
    // Without one, the seed comes from the context.
    const c = run(built({rate: 0.5}, [16]), 9);
    const d = run(built({rate: 0.5}, [16]), 9);
    expect(c).toEqual(d);
    expect(run(built({rate: 0.5}, [16]), 10)[0]).not.toEqual(c[0]);
    x.dispose();
  });

  it('asks the context for one seed per training call and none in inference', () => {
    const layer = built({rate: 0.5}, [3]);
    let asked = 0;
    const x = tf.ones([2, 3]);
    tf.dispose(layer.call(x, {training: true, nextSeed: () => ++asked}));
    tf.dispose(layer.call(x, {training: false, nextSeed: () => ++asked}));
    expect(asked).toBe(1);
    x.dispose();
  });

  it('passes gradients through the kept inputs only, scaled', () => {
    const rate = 0.25;
    const layer = built({rate}, [10]);
    const rnd = randomGenerator(3);
    const x = tf.tensor2d(uniform(rnd, 60, 0.5, 2), [6, 10]);
    const w = tf.tensor2d(uniform(rnd, 60, -1, 1), [6, 10]);
    const y = layer.call(x, callContext(true, 77));
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, layer.call(v, callContext(true, 77)))))(x);
    const xv = values(x);
    const wv = values(w);
    const expected = values(y).map((e, i) => (e === 0 ? 0 : wv[i]! / (1 - rate)));
    expect(values(y).some((e) => e === 0)).toBe(true);
    expect(closeness(g.dataSync(), expected, 1e-6, 0)).toBeLessThanOrEqual(1);
    expect(
      closeness(
        values(y).filter((e) => e !== 0),
        xv.filter((_, i) => values(y)[i] !== 0).map((e) => e / (1 - rate)),
        1e-6,
        0,
      ),
    ).toBeLessThanOrEqual(1);
    tf.dispose([x, w, y, g]);
  });

  it('broadcasts the mask along axes where noiseShape is 1', () => {
    const layer = built({rate: 0.5, noiseShape: [null, 1]}, [8]);
    const x = tf.ones([40, 8]);
    const y = layer.call(x, callContext(true, 5));
    const rows = y.arraySync() as number[][];
    expect(rows.every((r) => r.every((e) => e === r[0]))).toBe(true);
    expect(new Set(rows.map((r) => r[0])).size).toBe(2);
    tf.dispose([x, y]);
  });

  it('is the identity with rate 0, even in training', () => {
    const layer = built({rate: 0}, [3]);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = layer.call(x, callContext(true));
    expect(values(y)).toEqual([1, 2, 3, 4, 5, 6]);
    tf.dispose([x, y]);
  });

  it('validates its options and shapes', () => {
    for (const rate of [1, -0.1, 1.5, Number.NaN, '0.5', undefined]) {
      expect(() => dropout({rate: rate as number})).toThrow(ConfigError);
    }
    expect(() => dropout({rate: 0.5, seed: -1})).toThrow(ConfigError);
    expect(() => dropout({rate: 0.5, seed: 1.5})).toThrow(ConfigError);
    expect(() => dropout({rate: 0.5, noiseShape: [null, 0]})).toThrow(ConfigError);
    expect(() => dropout({rate: 0.5, noiseShape: 'x' as never})).toThrow(ConfigError);
    expect(() => dropout({rate: 0.5, name: 'a/b'})).toThrow(ConfigError);
    expect(() => built({rate: 0.5, noiseShape: [null, 3]}, [4])).toThrow(ShapeError);
    expect(() => built({rate: 0.5, noiseShape: [null]}, [4])).toThrow(ShapeError);
    const layer = built({rate: 0.5, noiseShape: [3, 4]}, [4]);
    const x = tf.ones([2, 4]);
    expect(() => layer.call(x, callContext(true))).toThrow(ShapeError);
    const unbuilt = dropout({rate: 0.1});
    expect(() => unbuilt.call(x, callContext(true))).toThrow(StateError);
    const wrong = tf.ones([2, 5]);
    expect(() => built({rate: 0.5}, [4]).call(wrong, callContext(false))).toThrow('got [2, 5]');
    tf.dispose([x, wrong]);
  });

  it('has a JSON spec', () => {
    const layer = dropout({rate: 0.2, seed: 7, noiseShape: [null, 1], name: 'drop'});
    expect(layer.spec).toEqual({id: 'trellis/dropout', config: {name: 'drop', rate: 0.2, noiseShape: [null, 1], seed: 7}});
    expect(dropout({rate: 0.2}).spec.config).toEqual({name: '', rate: 0.2, noiseShape: null, seed: null});
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
  });

  it('leaks no tensors', async () => {
    const layer = built({rate: 0.5}, [10]);
    const x = tf.ones([4, 10]);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(true)));
      tf.dispose(layer.call(x, callContext(false)));
      tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(layer.call(v, callContext(true))))(x));
    });
    x.dispose();
  });
});
