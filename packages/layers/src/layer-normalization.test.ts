import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {catchError, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layerNormalization, layersPlugin} from './index';
import {callContext, closeness, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';
import {expectCallRefusesShape} from '../test/layer-errors';
import {expectNormalizationMatches} from '../test/normalization-runs';

const context = contextsDisposedAfterEach('layer_normalization');

/** Layer normalization in float64 over the trailing `groupSize` elements of each of `x.length / groupSize` groups. */
function reference(x: number[], dy: number[], groupSize: number, gamma: number[], beta: number[], epsilon: number) {
  const y: number[] = [];
  const dx: number[] = [];
  const dgamma = new Array<number>(groupSize).fill(0);
  const dbeta = new Array<number>(groupSize).fill(0);
  for (let start = 0; start < x.length; start += groupSize) {
    const xs = x.slice(start, start + groupSize);
    const ds = dy.slice(start, start + groupSize);
    const mean = xs.reduce((a, b) => a + b, 0) / groupSize;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / groupSize;
    const inv = 1 / Math.sqrt(variance + epsilon);
    const xhat = xs.map((v) => (v - mean) * inv);
    xhat.forEach((h, j) => {
      y.push(h * gamma[j]! + beta[j]!);
      dgamma[j]! += ds[j]! * h;
      dbeta[j]! += ds[j]!;
    });
    const g = ds.map((d, j) => d * gamma[j]!);
    const gSum = g.reduce((a, b) => a + b, 0);
    const gxSum = g.reduce((a, b, j) => a + b * xhat[j]!, 0);
    xhat.forEach((h, j) => dx.push((inv / groupSize) * (groupSize * g[j]! - gSum - h * gxSum)));
  }
  return {y, dx, dgamma, dbeta};
}

describe('layerNormalization', () => {
  for (const {shape, axis} of [
    {shape: [6, 5], axis: -1 as number | number[]},
    {shape: [3, 4, 5], axis: -1 as number | number[]},
    {shape: [2, 3, 4], axis: [1, 2]},
    {shape: [2, 3, 4], axis: [-2, -1]},
  ]) {
    it(`matches a float64 reference, forward and backward (input ${JSON.stringify(shape)}, axis ${JSON.stringify(axis)})`, () => {
      const trailing = typeof axis === 'number' ? 1 : axis.length;
      const groupShape = shape.slice(shape.length - trailing);
      const groupSize = groupShape.reduce((a, b) => a * b, 1);
      const n = shape.reduce((a, b) => a * b, 1);
      const random = randomGenerator(n + trailing);
      const xs = uniform(random, n, -3, 5);
      const dys = uniform(random, n, -1, 1);
      const gamma = uniform(random, groupSize, 0.5, 1.5);
      const beta = uniform(random, groupSize, -0.5, 0.5);
      const layer = layerNormalization({axis});
      const c = context();
      expect(layer.build(shape.slice(1), c)).toEqual(shape.slice(1));
      expect(layer.gamma!.shape).toEqual(groupShape);
      layer.gamma!.assign(tf.tensor(gamma, groupShape));
      layer.beta!.assign(tf.tensor(beta, groupShape));
      const ref = reference(xs, dys, groupSize, gamma, beta, 1e-3);
      expectNormalizationMatches(layer, {xs, dys, shape}, ref, {forwardTraining: false, backwardTraining: true});
    });
  }

  it("matches tfjs-layers' layerNormalization", () => {
    const random = randomGenerator(8);
    const x = tf.tensor3d(uniform(random, 2 * 3 * 4, -2, 2), [2, 3, 4]);
    const gamma = uniform(random, 4, 0.5, 1.5);
    const beta = uniform(random, 4, -0.5, 0.5);
    const layer = layerNormalization({epsilon: 1e-5});
    layer.build([3, 4], context());
    layer.gamma!.assign(tf.tensor1d(gamma));
    layer.beta!.assign(tf.tensor1d(beta));
    const oracle = tfl.layers.layerNormalization({epsilon: 1e-5, weights: [tf.tensor1d(gamma), tf.tensor1d(beta)]});
    const ours = layer.call(x, callContext(false));
    const theirs = oracle.apply(x) as tf.Tensor;
    expect(closeness(ours.dataSync(), theirs.dataSync(), 1e-5, 1e-5)).toBeLessThanOrEqual(1);
    tf.dispose([x, ours, theirs]);
    oracle.dispose();
  });

  it('creates Keras-named weights, none without center and scale, and leaks nothing', async () => {
    const c = context();
    layerNormalization().build([7], c);
    expect(c.requests.map((r) => [r.name, r.shape, r.trainable])).toEqual([
      ['gamma', [7], true],
      ['beta', [7], true],
    ]);
    const bare = context();
    const layer = layerNormalization({center: false, scale: false});
    layer.build([7], bare);
    expect(bare.requests).toEqual([]);
    const x = tf.tensor2d(uniform(randomGenerator(1), 14, -1, 1), [2, 7]);
    await expectNoTensorLeaks(() => tf.dispose(layer.call(x, callContext(true))));
    x.dispose();
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    for (const layer of [
      layerNormalization(),
      layerNormalization({axis: [1, -1], epsilon: 1e-6, center: false, name: 'ln', inputShape: [3, 4]}),
    ]) {
      expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    }
    expect(layerNormalization().spec.config).toMatchObject({axis: -1, epsilon: 1e-3, center: true, scale: true});
  });

  it('rejects bad options and inputs with typed errors naming the layer and shapes', () => {
    for (const options of [{epsilon: -1}, {axis: 0}, {axis: []}, {axis: 'last'}, {scale: 1}]) {
      expect(ConfigError.is(catchError(() => layerNormalization(options as never)))).toBe(true);
    }
    const bad = catchError(() => layerNormalization({axis: 4, name: 'ln'}).build([3, 4], context()));
    expect(ShapeError.is(bad)).toBe(true);
    expect((bad as Error).message).toMatch(/layerNormalization layer 'ln'.*axis 4.*\[3, 4\]/);
    expect(ShapeError.is(catchError(() => layerNormalization({axis: [2, -1]}).build([3, 4], context())))).toBe(true);
    const layer = layerNormalization({name: 'ln'});
    expect(StateError.is(catchError(() => layer.call(tf.zeros([1, 3]), callContext(false))))).toBe(true);
    layer.build([3], context());
    expectCallRefusesShape(layer, [2, 5], false, /layerNormalization layer 'ln'.*\[batch, 3\].*\[2, 5\]/);
  });
});
