import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {remap, resample} from '../test/image-reference';
import {layersPlugin, randomRotation} from './index';
import {callContext, closeness, uniform, values} from '../test/testing';
import {expectSeededOutputs} from '../test/seeded-outputs';
import {
  affineConfig,
  builtAugmentation,
  expectIdentityOutsideTraining,
  expectImageCallsLeakNothing,
  coordinateImages,
} from '../test/augmentation-runs';

function built(options: Parameters<typeof randomRotation>[0], inputShape: number[]) {
  return builtAugmentation(randomRotation(options), 'randomRotation', inputShape);
}

/** The Keras rotation matrix for `turns` of a full turn about the centre, entries rounded to float32. */
function rotationMatrix(turns: number, h: number, w: number): number[] {
  const radians = Math.fround(Math.fround(turns * 360) * Math.fround(Math.PI / 180));
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
  return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0, 0].map(Math.fround);
}

/** The angle (degrees) each image of a coordinate image batch was rotated by, read at its centre pixel. */
function anglesOf(y: tf.Tensor, n: number): number[] {
  const v = values(y);
  const c = (n - 1) / 2;
  return Array.from({length: y.shape[0]!}, (_, b) => {
    const at = (row: number, col: number, ch: number) => v[((b * n + row) * n + col) * 2 + ch]!;
    return (Math.atan2(at(c, c + 1, 1) - at(c, c, 1), at(c, c + 1, 0) - at(c, c, 0)) * 180) / Math.PI;
  });
}

describe('randomRotation', () => {
  it('is the identity outside training', () => {
    expectIdentityOutsideTraining(built({factor: 0.5}, [5, 6, 2]), [2, 5, 6, 2], 1);
  });

  it('rotates a quarter turn exactly for factor [0.25, 0.25] (counter-clockwise)', () => {
    const n = 5;
    const host = uniform(randomGenerator(2), 3 * n * n * 2, 0, 1);
    const x = tf.tensor4d(host, [3, n, n, 2]);
    const y = built({factor: [0.25, 0.25]}, [n, n, 2]).call(x, callContext(true));
    const expected = [0, 1, 2].flatMap((b) =>
      remap(host.slice(b * n * n * 2, (b + 1) * n * n * 2), [n, n, 2], (row, col) => [col, n - 1 - row]),
    );
    expect(closeness(values(y), expected, 0, 1e-5)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it.each(['reflect', 'wrap', 'constant', 'nearest'] as const)(
    'matches a float64 resampling for a fixed angle with fillMode %s, on every image of the batch',
    (fillMode) => {
      const [h, w, c] = [6, 7, 2];
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        const layer = built({factor: [0.1, 0.1], fillMode, interpolation, fillValue: -1}, [h, w, c]);
        const host = uniform(randomGenerator(3), 3 * h * w * c, 0, 1);
        const x = tf.tensor4d(host, [3, h, w, c]);
        const y = layer.call(x, callContext(true));
        const m = rotationMatrix(0.1, h, w);
        const expected = [0, 1, 2].flatMap((b) =>
          resample(host.slice(b * h * w * c, (b + 1) * h * w * c), [h, w, c], m, interpolation, fillMode, -1),
        );
        expect(closeness(values(y), expected, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        tf.dispose([x, y]);
      }
    },
  );

  it('draws one angle per image, uniform within the factor range', () => {
    const n = 9;
    const x = coordinateImages(300, n);
    const symmetric = anglesOf(built({factor: 0.1}, [n, n, 2]).call(x, callContext(true, 21)), n);
    expect(symmetric.every((a) => Math.abs(a) <= 36 + 1e-3)).toBe(true);
    expect(Math.min(...symmetric)).toBeLessThan(-30);
    expect(Math.max(...symmetric)).toBeGreaterThan(30);
    // Uniform on [-36, 36]: mean 0 with standard error 36/√3/√300 ≈ 1.2; a quarter in each 18° bin.
    expect(Math.abs(symmetric.reduce((a, b) => a + b, 0) / 300)).toBeLessThan(5);
    expect(Math.abs(symmetric.filter((a) => a > 18).length - 75)).toBeLessThan(30);
    const pair = anglesOf(built({factor: [0.1, 0.05]}, [n, n, 2]).call(x, callContext(true, 22)), n);
    expect(pair.every((a) => a >= 18 - 1e-3 && a <= 36 + 1e-3)).toBe(true);
    x.dispose();
  });

  it('is reproducible: the same seeds give the same output, other seeds another', () => {
    const x = coordinateImages(4, 5);
    expectSeededOutputs(x, (seed) => built(seed === null ? {factor: 0.2} : {factor: 0.2, seed}, [5, 5, 2]), 8);
    x.dispose();
  });

  it('passes gradients back through the rotation', () => {
    // A half turn maps pixel (r, q) to (n−1−r, n−1−q), so the gradient of sum(w · y) is w turned back.
    const n = 4;
    const layer = built({factor: [0.5, 0.5], interpolation: 'nearest'}, [n, n, 1]);
    const x = tf.tensor4d(uniform(randomGenerator(7), n * n, 0, 1), [1, n, n, 1]);
    const w = tf.tensor4d(
      Array.from({length: n * n}, (_, i) => i + 1),
      [1, n, n, 1],
    );
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, layer.call(v, callContext(true)))))(x);
    expect(values(g)).toEqual(values(w).reverse());
    tf.dispose([x, w, g]);
  });

  it('takes a single image [h, w, c]', () => {
    const host = uniform(randomGenerator(4), 4 * 4, 0, 1);
    const x = tf.tensor3d(host, [4, 4, 1]);
    const y = built({factor: [0.5, 0.5]}, [4, 4, 1]).call(x, callContext(true));
    expect(y.shape).toEqual([4, 4, 1]);
    expect(closeness(values(y), [...host].reverse(), 0, 1e-5)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const factor of [1.5, -2, [0.1], [0.1, 1.2], 'x', Number.NaN, undefined]) {
      expect(() => randomRotation({factor: factor as never})).toThrow(ConfigError);
    }
    expect(() => randomRotation({factor: 1.5})).toThrow(/randomRotation: factor must be .*\[-1, 1\].*got 1\.5/);
    expect(() => randomRotation({factor: [0.1, 1.2]})).toThrow(/got \[0\.1, 1\.2\]\./);
    expect(() => randomRotation({factor: 0.1, fillMode: 'mirror' as never})).toThrow(/randomRotation: fillMode .*'mirror'/);
    expect(() => randomRotation({factor: 0.1, interpolation: 'bicubic' as never})).toThrow(ConfigError);
    expect(() => randomRotation({factor: 0.1, fillValue: Number.NaN})).toThrow(ConfigError);
    expect(() => randomRotation(undefined as never)).toThrow(ConfigError);
    expect(() => built({factor: 0.1}, [4, 4, 1, 1])).toThrow(ShapeError);
    const x = tf.ones([2, 4, 4, 1]);
    expect(() => built({factor: 0.1}, [4, 4, 2]).call(x, callContext(true))).toThrow(ShapeError);
    x.dispose();
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomRotation({factor: [-0.2, 0.1], fillMode: 'constant', interpolation: 'nearest', fillValue: 3, seed: 1, name: 'rot'});
    expect(layer.spec).toEqual({
      id: 'trellis/randomRotation',
      config: {name: 'rot', factor: [-0.2, 0.1], fillMode: 'constant', interpolation: 'nearest', fillValue: 3, seed: 1},
    });
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    const defaults = randomRotation({factor: 0.1});
    expect(defaults.spec.config).toEqual(affineConfig({factor: 0.1}));
    expect(defaults.range).toEqual([-0.1, 0.1]);
    expect(registry.resolve('layer', defaults.spec).spec).toEqual(defaults.spec);
  });

  it('leaks no tensors', async () => {
    await expectImageCallsLeakNothing(built({factor: 0.3}, [4, 4, 1]));
  });
});
