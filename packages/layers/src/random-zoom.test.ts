import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {remap, resample} from '../test/image-reference';
import {layersPlugin, randomZoom} from './index';
import {callContext, closeness, uniform, values} from '../test/testing';
import {expectSeededOutputs} from '../test/seeded-outputs';
import {
  affineConfig,
  builtAugmentation,
  expectIdentityOutsideTraining,
  expectImageCallsLeakNothing,
  coordinateImages,
} from '../test/augmentation-runs';

function built(options: Parameters<typeof randomZoom>[0], inputShape: number[]) {
  return builtAugmentation(randomZoom(options), 'randomZoom', inputShape);
}

/** Per image, the horizontal and vertical scale [zx, zy] read around the centre of a coordinate image. */
function scalesOf(y: tf.Tensor, n: number): [number, number][] {
  const v = values(y);
  const c = (n - 1) / 2;
  const at = (b: number, row: number, col: number, ch: number) => v[((b * n + row) * n + col) * 2 + ch]!;
  return Array.from({length: y.shape[0]!}, (_, b) => [at(b, c, c + 1, 0) - at(b, c, c, 0), at(b, c + 1, c, 1) - at(b, c, c, 1)]);
}

describe('randomZoom', () => {
  it('is the identity outside training', () => {
    expectIdentityOutsideTraining(built({heightFactor: 0.5}, [5, 6, 2]), [2, 5, 6, 2], 1);
  });

  it('zooms in 2× about the centre for heightFactor [-0.5, -0.5]', () => {
    // A 5×5 image sampled at 2 + (p − 2)/2: pixels 1, 1.5, 2, 2.5, 3 of each axis.
    const host = uniform(randomGenerator(2), 25, 0, 1);
    const x = tf.tensor4d(host, [1, 5, 5, 1]);
    const y = built({heightFactor: [-0.5, -0.5]}, [5, 5, 1]).call(x, callContext(true));
    const at = (r: number, q: number) => host[r * 5 + q]!;
    const sample = (r: number, q: number) => {
      const [r0, q0] = [Math.floor(r), Math.floor(q)];
      const [fr, fq] = [r - r0, q - q0];
      const get = (a: number, b: number) => ((fr === 0 && a > r0) || (fq === 0 && b > q0) ? 0 : at(a, b));
      return (1 - fr) * ((1 - fq) * get(r0, q0) + fq * get(r0, q0 + 1)) + fr * ((1 - fq) * get(r0 + 1, q0) + fq * get(r0 + 1, q0 + 1));
    };
    const expected = Array.from({length: 25}, (_, i) => sample(1 + Math.floor(i / 5) / 2, 1 + (i % 5) / 2));
    expect(closeness(values(y), expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it.each(['reflect', 'wrap', 'constant', 'nearest'] as const)(
    'matches a float64 resampling for fixed zooms with fillMode %s, on every image of the batch',
    (fillMode) => {
      const [h, w, c] = [6, 7, 2];
      const layer = built({heightFactor: [0.3, 0.3], widthFactor: [-0.2, -0.2], fillMode, fillValue: 0.5}, [h, w, c]);
      const host = uniform(randomGenerator(3), 3 * h * w * c, 0, 1);
      const x = tf.tensor4d(host, [3, h, w, c]);
      const y = layer.call(x, callContext(true));
      const [zx, zy] = [Math.fround(0.8), Math.fround(1.3)];
      const m = [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0].map(Math.fround);
      const expected = [0, 1, 2].flatMap((b) =>
        resample(host.slice(b * h * w * c, (b + 1) * h * w * c), [h, w, c], m, 'bilinear', fillMode, 0.5),
      );
      expect(closeness(values(y), expected, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([x, y]);
    },
  );

  it('is the identity in training with factor 0 (whole-pixel sampling)', () => {
    const host = uniform(randomGenerator(4), 2 * 4 * 3, 0, 1);
    const x = tf.tensor4d(host, [2, 4, 3, 1]);
    const y = built({heightFactor: 0, widthFactor: 0}, [4, 3, 1]).call(x, callContext(true));
    expect(values(y)).toEqual(remap(host, [8, 3, 1], (r, q) => [r, q]));
    tf.dispose([x, y]);
  });

  it('draws one zoom per image in the factor ranges; without widthFactor both axes share it', () => {
    const n = 9;
    const x = coordinateImages(200, n);
    const shared = scalesOf(built({heightFactor: 0.3, fillMode: 'nearest'}, [n, n, 2]).call(x, callContext(true, 3)), n);
    expect(shared.every(([zx, zy]) => Math.abs(zx - zy) < 1e-5 && zy >= 0.7 - 1e-5 && zy <= 1.3 + 1e-5)).toBe(true);
    const zys = shared.map(([, zy]) => zy);
    expect(Math.min(...zys)).toBeLessThan(0.75);
    expect(Math.max(...zys)).toBeGreaterThan(1.25);
    expect(Math.abs(zys.reduce((a, b) => a + b, 0) / 200 - 1)).toBeLessThan(0.05);
    const separate = scalesOf(
      built({heightFactor: [0.1, 0.2], widthFactor: [-0.4, -0.2], fillMode: 'nearest'}, [n, n, 2]).call(x, callContext(true, 4)),
      n,
    );
    expect(separate.every(([zx, zy]) => zx >= 0.6 - 1e-5 && zx <= 0.8 + 1e-5 && zy >= 1.1 - 1e-5 && zy <= 1.2 + 1e-5)).toBe(true);
    x.dispose();
  });

  it('is reproducible: the same seeds give the same output, other seeds another', () => {
    const x = coordinateImages(4, 5);
    expectSeededOutputs(x, (seed) => built({heightFactor: 0.3, seed}, [5, 5, 2]));
    x.dispose();
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const factor of [-1, 1.5, [-1, 0.2], [0.1], 'x', undefined]) {
      expect(() => randomZoom({heightFactor: factor as never})).toThrow(ConfigError);
    }
    expect(() => randomZoom({heightFactor: 0.1, widthFactor: -1})).toThrow(/randomZoom: widthFactor must be .*\(-1, 1\].*got -1/);
    expect(() => randomZoom({heightFactor: 0.1, interpolation: 'area' as never})).toThrow(/randomZoom: interpolation .*'area'/);
    expect(() => randomZoom({heightFactor: 1})).not.toThrow();
    expect(() => built({heightFactor: 0.1}, [4, 4])).toThrow(ShapeError);
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomZoom({heightFactor: [0.2, -0.3], widthFactor: 0.1, fillMode: 'nearest', fillValue: 1, name: 'zoom'});
    expect(layer.spec.config).toEqual(
      affineConfig({name: 'zoom', heightFactor: [0.2, -0.3], widthFactor: 0.1, fillMode: 'nearest', fillValue: 1}),
    );
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    const defaults = randomZoom({heightFactor: 0.1});
    expect(defaults.spec.config.widthFactor).toBeNull();
    expect(registry.resolve('layer', defaults.spec).spec).toEqual(defaults.spec);
  });

  it('leaks no tensors', async () => {
    await expectImageCallsLeakNothing(built({heightFactor: 0.3}, [4, 4, 1]));
  });
});
