import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {remap, resample} from '../test/image-reference';
import {layersPlugin, randomTranslation} from './index';
import {callContext, closeness, uniform, values} from '../test/testing';
import {expectSeededOutputs} from '../test/seeded-outputs';
import {affineConfig, builtAugmentation, expectIdentityOutsideTraining, coordinateImages} from '../test/augmentation-runs';

function built(options: Parameters<typeof randomTranslation>[0], inputShape: number[]) {
  return builtAugmentation(randomTranslation(options), 'randomTranslation', inputShape);
}

/** Where a whole-pixel index outside [0, n) reads from under each fill mode (null: the fill value). */
const FILLS: Record<string, (i: number, n: number) => number | null> = {
  reflect: (i, n) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i),
  wrap: (i, n) => ((i % n) + n) % n,
  nearest: (i, n) => Math.min(Math.max(i, 0), n - 1),
  constant: (i, n) => (i < 0 || i >= n ? null : i),
};

describe('randomTranslation', () => {
  it('is the identity outside training', () => {
    expectIdentityOutsideTraining(built({heightFactor: 0.5, widthFactor: 0.5}, [5, 6, 2]), [2, 5, 6, 2], 1);
  });

  it.each(Object.keys(FILLS))('shifts by whole pixels exactly, filling with %s', (fillMode) => {
    const [h, w, c] = [8, 10, 2];
    // Down by 0.25·8 = 2 rows, left by 0.2·10 = 2 columns.
    const layer = built({heightFactor: [0.25, 0.25], widthFactor: [-0.2, -0.2], fillMode: fillMode as never, fillValue: 7}, [h, w, c]);
    const host = uniform(randomGenerator(2), 3 * h * w * c, 0, 1);
    const x = tf.tensor4d(host, [3, h, w, c]);
    const y = layer.call(x, callContext(true));
    const fill = FILLS[fillMode]!;
    const expected = [0, 1, 2].flatMap((b) =>
      remap(
        host.slice(b * h * w * c, (b + 1) * h * w * c),
        [h, w, c],
        (row, col) => {
          const [r, q] = [fill(row - 2, h), fill(col + 2, w)];
          return r === null || q === null ? null : [r, q];
        },
        7,
      ),
    );
    expect(values(y)).toEqual(expected.map(Math.fround));
    tf.dispose([x, y]);
  });

  it('matches a float64 resampling for a fractional shift', () => {
    const [h, w, c] = [5, 6, 1];
    const layer = built({heightFactor: [-0.13, -0.13], widthFactor: [0.31, 0.31], fillMode: 'reflect'}, [h, w, c]);
    const host = uniform(randomGenerator(3), 2 * h * w * c, 0, 1);
    const x = tf.tensor4d(host, [2, h, w, c]);
    const y = layer.call(x, callContext(true));
    const [dy, dx] = [Math.fround(Math.fround(-0.13) * h), Math.fround(Math.fround(0.31) * w)];
    const m = [1, 0, -dx, 0, 1, -dy, 0, 0];
    const expected = [0, 1].flatMap((b) => resample(host.slice(b * h * w, (b + 1) * h * w), [h, w, c], m, 'bilinear', 'reflect', 0));
    expect(closeness(values(y), expected, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('draws independent shifts per image and axis, uniform within the factor ranges', () => {
    const n = 11;
    const x = coordinateImages(300, n);
    const y = built({heightFactor: 0.2, widthFactor: [-0.1, 0.05], fillMode: 'nearest'}, [n, n, 2]).call(x, callContext(true, 5));
    const v = values(y);
    const centre = (b: number, ch: number) => v[((b * n + 5) * n + 5) * 2 + ch]!;
    // Output pixel p reads input p − shift, so shift = 5 − the coordinate read at the centre.
    const dx = Array.from({length: 300}, (_, b) => 5 - centre(b, 0));
    const dy = Array.from({length: 300}, (_, b) => 5 - centre(b, 1));
    expect(dy.every((d) => Math.abs(d) <= 2.2 + 1e-4)).toBe(true);
    expect(Math.min(...dy)).toBeLessThan(-1.8);
    expect(Math.max(...dy)).toBeGreaterThan(1.8);
    expect(dx.every((d) => d >= -1.1 - 1e-4 && d <= 0.55 + 1e-4)).toBe(true);
    expect(Math.abs(dy.reduce((a, b) => a + b, 0) / 300)).toBeLessThan(0.3);
    const mean = (a: number[]) => a.reduce((s, e) => s + e, 0) / a.length;
    const [mx, my] = [mean(dx), mean(dy)];
    const cov = mean(dx.map((d, i) => (d - mx) * (dy[i]! - my)));
    const corr = cov / Math.sqrt(mean(dx.map((d) => (d - mx) ** 2)) * mean(dy.map((d) => (d - my) ** 2)));
    expect(Math.abs(corr)).toBeLessThan(0.2);
    tf.dispose([x, y]);
  });

  it('is reproducible: the same seeds give the same output, other seeds another', () => {
    const x = coordinateImages(4, 5);
    expectSeededOutputs(x, (seed) => built({heightFactor: 0.3, widthFactor: 0.3, seed}, [5, 5, 2]));
    x.dispose();
  });

  it('takes a single image [h, w, c]', () => {
    const x = tf.tensor3d([1, 2, 3, 4], [1, 4, 1]);
    const y = built({heightFactor: 0, widthFactor: [0.25, 0.25], fillMode: 'constant'}, [1, 4, 1]).call(x, callContext(true));
    expect(y.shape).toEqual([1, 4, 1]);
    expect(values(y)).toEqual([0, 1, 2, 3]);
    tf.dispose([x, y]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const factor of [1.5, -1.01, [0.1], [0.1, 2], 'x', undefined]) {
      expect(() => randomTranslation({heightFactor: factor as never, widthFactor: 0.1})).toThrow(ConfigError);
      expect(() => randomTranslation({heightFactor: 0.1, widthFactor: factor as never})).toThrow(ConfigError);
    }
    expect(() => randomTranslation({heightFactor: 0.1, widthFactor: 3})).toThrow(/randomTranslation: widthFactor .*got 3/);
    expect(() => randomTranslation({heightFactor: 0.1, widthFactor: 0.1, fillMode: 'mirror' as never})).toThrow(
      /randomTranslation: fillMode/,
    );
    expect(() => built({heightFactor: 0.1, widthFactor: 0.1}, [16])).toThrow(ShapeError);
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomTranslation({heightFactor: [0.3, -0.1], widthFactor: 0.2, fillMode: 'wrap', seed: 2, inputShape: [4, 4, 3]});
    expect(layer.spec.config).toEqual(
      affineConfig({heightFactor: [0.3, -0.1], widthFactor: 0.2, fillMode: 'wrap', seed: 2, inputShape: [4, 4, 3]}),
    );
    expect(layer.heightRange).toEqual([-0.1, 0.3]);
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('leaks no tensors', async () => {
    const layer = built({heightFactor: 0.3, widthFactor: 0.3}, [4, 4, 1]);
    const x = tf.ones([3, 4, 4, 1]);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(true)));
      tf.dispose(layer.call(x, callContext(false)));
    });
    x.dispose();
  });
});
