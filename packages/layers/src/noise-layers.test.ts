import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {catchError, expectNoTensorLeaks} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import type {Layer} from '@trellis/core';
import {alphaDropout, gaussianDropout, gaussianNoise, layersPlugin} from './index';
import {callContext, createBuildContext, values} from '../test/testing';

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const varianceOf = (v: number[]) => {
  const m = meanOf(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};
const N = 200 * 100;

/** The training output of `layer` on `x` with context seed `seed` (host values). */
function trainingOutput(layer: Layer, x: tf.Tensor, seed = 21): number[] {
  layer.build(x.shape.slice(1), createBuildContext());
  const y = layer.call(x, callContext(true, seed));
  const v = values(y);
  y.dispose();
  return v;
}

describe('gaussianNoise', () => {
  it('adds N(0, stddev²) in training: sample mean and variance within sampling tolerance', () => {
    const stddev = 0.3;
    const x = tf.fill([200, 100], 2);
    const noise = trainingOutput(gaussianNoise({stddev}), x).map((v) => v - 2);
    // Standard errors: of the mean stddev/√N, of the variance stddev²·√(2/N).
    expect(Math.abs(meanOf(noise))).toBeLessThan((5 * stddev) / Math.sqrt(N));
    expect(Math.abs(varianceOf(noise) - stddev ** 2)).toBeLessThan(5 * stddev ** 2 * Math.sqrt(2 / N));
    x.dispose();
  });
});

describe('gaussianDropout', () => {
  it('multiplies by N(1, rate / (1 − rate)) in training: sample mean and variance within sampling tolerance', () => {
    const rate = 0.2;
    const variance = rate / (1 - rate);
    const x = tf.fill([200, 100], 3);
    const factor = trainingOutput(gaussianDropout({rate}), x).map((v) => v / 3);
    expect(Math.abs(meanOf(factor) - 1)).toBeLessThan((5 * Math.sqrt(variance)) / Math.sqrt(N));
    expect(Math.abs(varianceOf(factor) - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / N));
    x.dispose();
  });
});

describe('alphaDropout', () => {
  const ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;

  it("sets dropped inputs to SELU's saturation and applies Keras' affine correction, keeping mean 0 and variance 1", () => {
    const rate = 0.1;
    const a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5;
    const b = -a * ALPHA_P * rate;
    const x = tf.randomNormal([200, 100], 0, 1, 'float32', 4);
    const xs = values(x);
    const y = trainingOutput(alphaDropout({rate}), x);
    let dropped = 0;
    y.forEach((v, i) => {
      const kept = a * xs[i]! + b;
      const drop = a * ALPHA_P + b;
      const isKept = Math.abs(v - kept) <= 1e-5 * (1 + Math.abs(kept));
      const isDropped = Math.abs(v - drop) <= 1e-5 * (1 + Math.abs(drop));
      expect(isKept || isDropped).toBe(true);
      if (!isKept) dropped++;
    });
    expect(Math.abs(dropped / N - rate)).toBeLessThan(5 * Math.sqrt((rate * (1 - rate)) / N));
    // Self-normalizing: standardized inputs stay standardized (loose, the input itself is a sample).
    expect(Math.abs(meanOf(y))).toBeLessThan(0.05);
    expect(Math.abs(varianceOf(y) - 1)).toBeLessThan(0.05);
    x.dispose();
  });
});

describe('noise layers (shared behaviour)', () => {
  const makers = {
    gaussianNoise: (seed?: number) => gaussianNoise({stddev: 0.5, ...(seed === undefined ? {} : {seed})}),
    gaussianDropout: (seed?: number) => gaussianDropout({rate: 0.3, ...(seed === undefined ? {} : {seed})}),
    alphaDropout: (seed?: number) => alphaDropout({rate: 0.3, ...(seed === undefined ? {} : {seed})}),
  };
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: identity outside training, same seed → same noise, one context seed per training call, no leaks`, async () => {
      const x = tf.tensor2d([1, -2, 3, 0.5, 4, -1], [2, 3]);
      const layer = make();
      layer.build([3], createBuildContext());
      const inference = layer.call(x, callContext(false));
      expect(values(inference)).toEqual(values(x));
      expect(trainingOutput(make(), x, 5)).toEqual(trainingOutput(make(), x, 5));
      expect(trainingOutput(make(), x, 5)).not.toEqual(trainingOutput(make(), x, 6));
      expect(trainingOutput(make(42), x, 5)).toEqual(trainingOutput(make(42), x, 6));
      let asked = 0;
      tf.dispose(layer.call(x, {training: true, nextSeed: () => ++asked}));
      tf.dispose(layer.call(x, {training: false, nextSeed: () => ++asked}));
      expect(asked).toBe(1);
      await expectNoTensorLeaks(() => tf.dispose(layer.call(x, callContext(true))));
      const registry = createRegistry(layersPlugin);
      expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
      const named = {...make(7).spec, config: {...make(7).spec.config, name: 'n', inputShape: [3]}};
      expect(registry.resolve('layer', named).spec).toEqual(named);
      const error = catchError(() => layer.call(tf.zeros([2, 4]), callContext(true)));
      expect(ShapeError.is(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`${name} layer.*\\[batch, 3\\].*\\[2, 4\\]`));
      tf.dispose([x, inference]);
    });
  }

  it('is the identity for rate or stddev 0 and rejects out-of-range values (Keras ranges)', () => {
    const x = tf.tensor2d([1, 2], [1, 2]);
    for (const layer of [gaussianNoise({stddev: 0}), gaussianDropout({rate: 0}), alphaDropout({rate: 0})]) {
      layer.build([2], createBuildContext());
      const y = layer.call(x, callContext(true));
      expect(values(y)).toEqual([1, 2]);
      y.dispose();
    }
    x.dispose();
    for (const make of [
      () => gaussianNoise({stddev: -0.1}),
      () => gaussianNoise({stddev: 1.5}),
      () => gaussianDropout({rate: 1}),
      () => alphaDropout({rate: -0.2}),
      () => alphaDropout({rate: 0.2, seed: -1}),
      () => gaussianNoise(null as never),
    ]) {
      expect(ConfigError.is(catchError(make))).toBe(true);
    }
  });
});
