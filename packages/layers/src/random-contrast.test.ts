import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, randomContrast} from './index';
import {callContext, closeness, uniform, values} from '../test/testing';
import * as runs from '../test/augmentation-runs';

function built(options: Parameters<typeof randomContrast>[0], inputShape: number[]) {
  return runs.builtAugmentation(randomContrast(options), 'randomContrast', inputShape);
}

/** Float64 reference: per image and channel, (x − mean)·c + mean, clipped to [low, high]. */
function contrastReference(x: number[], [b, h, w, ch]: number[], c: number, [low, high]: number[]): number[] {
  const out = [...x];
  const pixels = h! * w!;
  for (let i = 0; i < b!; i++) {
    for (let k = 0; k < ch!; k++) {
      let sum = 0;
      for (let p = 0; p < pixels; p++) sum += x[(i * pixels + p) * ch! + k]!;
      const mean = sum / pixels;
      for (let p = 0; p < pixels; p++) {
        const j = (i * pixels + p) * ch! + k;
        out[j] = Math.min(Math.max((x[j]! - mean) * c + mean, low!), high!);
      }
    }
  }
  return out;
}

/** Per image, the contrast factor it got: the ratio of output to input deviations from the mean (no clipping). */
function factorsOf(x: number[], y: number[], batch: number, size: number): number[] {
  return Array.from({length: batch}, (_, b) => {
    const xs = x.slice(b * size, (b + 1) * size);
    const ys = y.slice(b * size, (b + 1) * size);
    const mean = xs.reduce((s, v) => s + v, 0) / size;
    const i = xs.findIndex((v) => Math.abs(v - mean) > 10);
    return (ys[i]! - mean) / (xs[i]! - mean);
  });
}

describe('randomContrast', () => {
  it('is the identity outside training', () => {
    runs.expectIdentityOutsideTraining(built({factor: 0.5}, [3, 4, 2]), [2, 3, 4, 2], 255);
  });

  it('applies a fixed factor exactly: factor [-0.3, 0.3] is contrast 1.3, clipped to the value range', () => {
    const shape = [3, 4, 5, 3];
    const host = uniform(randomGenerator(2), 3 * 4 * 5 * 3, 0, 255);
    const x = tf.tensor4d(host, shape as [number, number, number, number]);
    const y = built({factor: [-0.3, 0.3]}, [4, 5, 3]).call(x, callContext(true));
    const expected = contrastReference(host, shape, 1.3, [0, 255]);
    expect(expected.some((v) => v === 0 || v === 255)).toBe(true);
    expect(closeness(values(y), expected, 1e-6, 1e-4)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('clips to a given value range', () => {
    const host = uniform(randomGenerator(3), 2 * 3 * 3, 0, 1);
    const x = tf.tensor4d(host, [2, 3, 3, 1]);
    const y = built({factor: [-1, 1], valueRange: [0, 1]}, [3, 3, 1]).call(x, callContext(true));
    expect(closeness(values(y), contrastReference(host, [2, 3, 3, 1], 2, [0, 1]), 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('draws one factor per image: in [1, 1 + f] for a number f (as Keras 3), in [1 − lower, 1 + upper] for a pair', () => {
    const [batch, size] = [300, 4 * 4];
    const host = uniform(randomGenerator(4), batch * size, 100, 150);
    const x = tf.tensor4d(host, [batch, 4, 4, 1]);
    const draw = (options: Parameters<typeof randomContrast>[0], seed: number) => {
      const y = built(options, [4, 4, 1]).call(x, callContext(true, seed));
      const factors = factorsOf(host, values(y), batch, size);
      y.dispose();
      return factors;
    };
    const single = draw({factor: 0.5}, 1);
    expect(single.every((c) => c >= 1 - 1e-4 && c <= 1.5 + 1e-4)).toBe(true);
    expect(Math.min(...single)).toBeLessThan(1.05);
    expect(Math.max(...single)).toBeGreaterThan(1.45);
    expect(Math.abs(single.reduce((a, b) => a + b, 0) / batch - 1.25)).toBeLessThan(0.03);
    const pair = draw({factor: [0.2, 0.4]}, 2);
    expect(pair.every((c) => c >= 0.8 - 1e-4 && c <= 1.4 + 1e-4)).toBe(true);
    expect(Math.min(...pair)).toBeLessThan(0.85);
    expect(Math.max(...pair)).toBeGreaterThan(1.35);
    x.dispose();
  });

  it('is reproducible: the same seeds give the same output, other seeds another', () => {
    runs.expectSeededOutputsOnSmallImages((seed) => built({factor: 0.4, seed}, [3, 3, 1]));
  });

  it('takes a single image [h, w, c]', () => {
    const x = tf.tensor3d([10, 20, 30, 40], [2, 2, 1]);
    const y = built({factor: [-0.5, 0.5]}, [2, 2, 1]).call(x, callContext(true));
    expect(y.shape).toEqual([2, 2, 1]);
    expect(values(y)).toEqual([2.5, 17.5, 32.5, 47.5]);
    tf.dispose([x, y]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const factor of [-0.1, 1.5, [0.1], [0.2, 1.5], [-0.5, 0.2], [0.4, -0.4], 'x', undefined]) {
      expect(() => randomContrast({factor: factor as never})).toThrow(ConfigError);
    }
    expect(() => randomContrast({factor: -0.1})).toThrow(/randomContrast: factor must be a number in \[0, 1\].*got -0\.1/);
    expect(() => randomContrast({factor: [-0.5, 0.2]})).toThrow(/randomContrast: factor \[-0\.5, 0\.2\].*empty/);
    expect(() => randomContrast({factor: [0.4, -0.4]})).toThrow(/randomContrast: the second entry of factor must be ≥ 0.*0\.4, -0\.4/);
    for (const valueRange of [[1, 0], [0], [0, Number.NaN], 'x']) {
      expect(() => randomContrast({factor: 0.1, valueRange: valueRange as never})).toThrow(/randomContrast: valueRange/);
    }
    expect(() => built({factor: 0.1}, [4, 4])).toThrow(ShapeError);
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomContrast({factor: [0.2, 0.3], valueRange: [0, 1], seed: 5, name: 'contrast'});
    expect(layer.spec).toEqual({
      id: 'trellis/randomContrast',
      config: {name: 'contrast', factor: [0.2, 0.3], valueRange: [0, 1], seed: 5},
    });
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    const defaults = randomContrast({factor: 0.2});
    expect(defaults.spec.config).toEqual({name: '', factor: 0.2, valueRange: [0, 255], seed: null});
    expect(defaults.range).toEqual([0, 0.2]);
  });

  it('passes gradients and leaks no tensors', async () => {
    // The sum over an image is unchanged by a contrast change (without clipping): every gradient is 1.
    await runs.expectGradientAndNoLeaks(built({factor: 0.3}, [3, 3, 1]), (gradient) => {
      expect(closeness(gradient, new Array(18).fill(1), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    });
  });
});
