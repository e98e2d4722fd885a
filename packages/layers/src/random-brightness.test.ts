import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, randomBrightness} from './index';
import {callContext, closeness, uniform, values} from '../test/testing';
import * as runs from '../test/augmentation-runs';

function built(options: Parameters<typeof randomBrightness>[0], inputShape: number[]) {
  return runs.builtAugmentation(randomBrightness(options), 'randomBrightness', inputShape);
}

describe('randomBrightness', () => {
  it('is the identity outside training', () => {
    runs.expectIdentityOutsideTraining(built({factor: 0.5}, [3, 4, 2]), [2, 3, 4, 2], 255);
  });

  it('adds a fixed shift exactly: factor [0.1, 0.1] adds 25.5 on [0, 255], clipped', () => {
    const host = uniform(randomGenerator(2), 3 * 4 * 5 * 3, 0, 255);
    const x = tf.tensor4d(host, [3, 4, 5, 3]);
    const y = built({factor: [0.1, 0.1]}, [4, 5, 3]).call(x, callContext(true));
    const expected = host.map((v) => Math.min(v + 25.5, 255));
    expect(expected.some((v) => v === 255)).toBe(true);
    expect(closeness(values(y), expected, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('scales the shift by the value range and clips to it', () => {
    const host = uniform(randomGenerator(3), 2 * 9, -1, 1);
    const x = tf.tensor4d(host, [2, 3, 3, 1]);
    // valueRange given high first: Keras sorts it to [-1, 1]; the shift is -0.25 · 2.
    const y = built({factor: [-0.25, -0.25], valueRange: [1, -1]}, [3, 3, 1]).call(x, callContext(true));
    expect(
      closeness(
        values(y),
        host.map((v) => Math.max(v - 0.5, -1)),
        1e-6,
        1e-7,
      ),
    ).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('draws one shift per image, uniform within the factor range', () => {
    const [batch, size] = [300, 2 * 2 * 3];
    const host = uniform(randomGenerator(4), batch * size, 100, 150);
    const x = tf.tensor4d(host, [batch, 2, 2, 3]);
    const output = built({factor: 0.2}, [2, 2, 3]).call(x, callContext(true, 1));
    const y = values(output);
    const shifts = Array.from({length: batch}, (_, b) => {
      const d = y.slice(b * size, (b + 1) * size).map((v, i) => v - host[b * size + i]!);
      expect(Math.max(...d) - Math.min(...d)).toBeLessThan(1e-4);
      return d[0]!;
    });
    expect(shifts.every((d) => Math.abs(d) <= 51 + 1e-4)).toBe(true);
    expect(Math.min(...shifts)).toBeLessThan(-45);
    expect(Math.max(...shifts)).toBeGreaterThan(45);
    // Uniform on [-51, 51]: mean 0 with standard error about 1.7.
    expect(Math.abs(shifts.reduce((a, b) => a + b, 0) / batch)).toBeLessThan(7);
    tf.dispose([x, output]);
  });

  it('is reproducible: the same seeds give the same output, other seeds another', () => {
    runs.expectSeededOutputsOnSmallImages((seed) => built({factor: 0.4, seed}, [3, 3, 1]));
  });

  it('takes a single image [h, w, c]', () => {
    const x = tf.tensor3d([10, 20, 30, 250], [2, 2, 1]);
    const y = built({factor: [0.02, 0.02]}, [2, 2, 1]).call(x, callContext(true));
    expect(y.shape).toEqual([2, 2, 1]);
    expect(closeness(values(y), [15.1, 25.1, 35.1, 255], 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const factor of [1.5, -1.1, [0.1], [0.1, -2], 'x', undefined]) {
      expect(() => randomBrightness({factor: factor as never})).toThrow(ConfigError);
    }
    expect(() => randomBrightness({factor: 1.5})).toThrow(/randomBrightness: factor must be .*\[-1, 1\].*got 1\.5/);
    for (const valueRange of [[1, 1], [0], 'x']) {
      expect(() => randomBrightness({factor: 0.1, valueRange: valueRange as never})).toThrow(/randomBrightness: valueRange .*got /);
    }
    expect(() => randomBrightness({factor: 0.1, valueRange: [1, 1]})).toThrow(/got \[1, 1\]\./);
    expect(() => built({factor: 0.1}, [4, 4, 1, 1])).toThrow(ShapeError);
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomBrightness({factor: [-0.2, 0.3], valueRange: [1, 0], seed: 5, name: 'bright'});
    expect(layer.spec).toEqual({
      id: 'trellis/randomBrightness',
      config: {name: 'bright', factor: [-0.2, 0.3], valueRange: [0, 1], seed: 5},
    });
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    const defaults = randomBrightness({factor: 0.2});
    expect(defaults.spec.config).toEqual({name: '', factor: 0.2, valueRange: [0, 255], seed: null});
    expect(defaults.range).toEqual([-0.2, 0.2]);
  });

  it('passes gradients and leaks no tensors', async () => {
    await runs.expectGradientAndNoLeaks(built({factor: 0.1}, [3, 3, 1]), (gradient) => {
      expect(gradient).toEqual(new Array(18).fill(1));
    });
  });
});
