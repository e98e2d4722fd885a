import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, Sequential, ShapeError, createRegistry} from '@trellis/core';
import {catchError, expectNoTensorLeaks, plainSgd, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {dense, layersPlugin, normalization} from './index';
import {callContext, closeness, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';

const context = contextsDisposedAfterEach('normalization');

describe('normalization', () => {
  it('standardizes with the given mean and variance per feature, and inverts', () => {
    const mean = [1, -2, 0.5];
    const variance = [4, 0.25, 0];
    const xs = uniform(randomGenerator(3), 4 * 3, -3, 3);
    const x = tf.tensor2d(xs, [4, 3]);
    for (const invert of [false, true]) {
      const layer = normalization({mean, variance, invert});
      const c = context();
      layer.build([3], c);
      expect(c.requests.map((r) => [r.name, r.shape, r.trainable])).toEqual([
        ['mean', [3], false],
        ['variance', [3], false],
      ]);
      const y = layer.call(x, callContext(false));
      // Keras floors the standard deviation at 1e-7 (a zero variance does not divide by zero).
      const std = variance.map((v) => Math.max(Math.sqrt(v), 1e-7));
      const expected = xs.map((v, i) => (invert ? mean[i % 3]! + v * std[i % 3]! : (v - mean[i % 3]!) / std[i % 3]!));
      expect(closeness(y.dataSync(), expected, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
      y.dispose();
    }
    x.dispose();
  });

  it('adapt computes the float64 mean and biased variance over every axis but the kept ones', () => {
    const shape = [5, 3, 4];
    const data = uniform(randomGenerator(4), 5 * 3 * 4, -2, 6);
    for (const [axis, keptShape, groupOf] of [
      [-1, [4], (i: number) => i % 4],
      [1, [3], (i: number) => Math.floor(i / 4) % 3],
      [[1, 2], [3, 4], (i: number) => i % 12],
      [null, [], () => 0],
    ] as const) {
      const layer = normalization({axis: axis as never});
      const x = tf.tensor3d(data, shape as never);
      layer.adapt(x);
      const c = context();
      layer.build([3, 4], c);
      const groups = keptShape.reduce((a: number, b: number) => a * b, 1);
      const sums = new Array<number>(groups).fill(0);
      const counts = new Array<number>(groups).fill(0);
      data.forEach((v, i) => {
        sums[groupOf(i)]! += v;
        counts[groupOf(i)]!++;
      });
      const means = sums.map((s, g) => s / counts[g]!);
      const variances = means.map((m, g) => data.reduce((acc, v, i) => (groupOf(i) === g ? acc + (v - m) ** 2 : acc), 0) / counts[g]!);
      expect(c.weights.get('mean')!.shape).toEqual([...keptShape]);
      expect(closeness(c.weights.get('mean')!.dataSync(), means, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
      expect(closeness(c.weights.get('variance')!.dataSync(), variances, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
      // The adapted layer standardizes its own data.
      const y = layer.call(x, callContext(false));
      const yv = Array.from(y.dataSync());
      for (let g = 0; g < groups; g++) {
        const members = yv.filter((_, i) => groupOf(i) === g);
        expect(Math.abs(members.reduce((a, b) => a + b, 0) / members.length)).toBeLessThan(1e-5);
      }
      tf.dispose([x, y]);
    }
  });

  it('adapt after build assigns the weights; nested arrays work; the spec keeps the options', async () => {
    const layer = normalization({name: 'norm'});
    const c = context();
    layer.build([2], c);
    expect(Array.from(c.weights.get('variance')!.dataSync())).toEqual([1, 1]);
    await expectNoTensorLeaks(() =>
      layer.adapt([
        [1, 10],
        [3, 30],
      ]),
    );
    expect(Array.from(c.weights.get('mean')!.dataSync())).toEqual([2, 20]);
    expect(Array.from(c.weights.get('variance')!.dataSync())).toEqual([1, 100]);
    expect(layer.spec.config).toEqual({name: 'norm', axis: -1, mean: null, variance: null, invert: false});
  });

  it('works in a Sequential model: fit never changes mean and variance', async () => {
    const norm = normalization({inputShape: [2]});
    norm.adapt(tf.tidy(() => tf.randomUniform([20, 2], -5, 5, 'float32', 1)));
    const model = new Sequential([norm, dense({units: 1})]);
    model.compile({
      optimizer: plainSgd(0.1),
      loss: 'trellis/meanSquaredError',
      registry: createRegistry(layersPlugin),
    });
    const before = model.getWeights();
    const x = tf.randomUniform([8, 2], -5, 5, 'float32', 2);
    const y = tf.ones([8, 1]);
    await model.fit(x, y, {epochs: 2, batchSize: 4});
    const after = model.getWeights();
    for (const name of ['normalization/mean', 'normalization/variance']) {
      expect(Array.from(after[name]!.dataSync())).toEqual(Array.from(before[name]!.dataSync()));
    }
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    tf.dispose([x, y, ...Object.values(before), ...Object.values(after)]);
    model.dispose();
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    for (const layer of [
      normalization(),
      normalization({axis: [1, -1], mean: [1, 2, 3, 4, 5, 6], variance: 2, invert: true, name: 'n', inputShape: [2, 3]}),
      normalization({axis: null, mean: 0.5, variance: 0.25}),
    ]) {
      expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    }
  });

  it('rejects bad options, statistics and data with typed errors naming the layer and shapes', () => {
    for (const options of [
      {mean: 1},
      {variance: 1},
      {mean: [0], variance: [-1]},
      {mean: [NaN], variance: [1]},
      {axis: 0},
      {invert: 'no'},
    ]) {
      expect(ConfigError.is(catchError(() => normalization(options as never)))).toBe(true);
    }
    const sized = catchError(() => normalization({mean: [1, 2], variance: [1, 1], name: 'n'}).build([3], context()));
    expect(ShapeError.is(sized)).toBe(true);
    expect((sized as Error).message).toMatch(/normalization layer 'n' has 2 mean values.*\[3\]/);
    const layer = normalization({name: 'n', inputShape: [3]});
    const wrong = catchError(() => layer.adapt([[1, 2]]));
    expect(ShapeError.is(wrong)).toBe(true);
    expect((wrong as Error).message).toMatch(/\[samples, 3\].*\[1, 2\]/);
    expect(DataError.is(catchError(() => layer.adapt([[1, NaN, 2]])))).toBe(true);
    const empty = tf.zeros([0, 3]);
    expect(DataError.is(catchError(() => layer.adapt(empty)))).toBe(true);
    empty.dispose();
    const adapted = normalization();
    adapted.adapt([[1, 2, 3]]);
    expect(ShapeError.is(catchError(() => adapted.build([4], context())))).toBe(true);
  });
});
