// randomShear (Keras 3's RandomShear) against an independent float64 resampling
// of the shear Keras hands to affine_transform: output (x, y) reads input
// (x + sx·y, y + sy·x), both factors negated together half of the time.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {resample} from '../test/image-reference';
import {affineConfig, builtAugmentation, expectIdentityOutsideTraining, coordinateImages} from '../test/augmentation-runs';
import {expectSeededOutputs} from '../test/seeded-outputs';
import {callContext, closeness, uniform, values} from '../test/testing';
import {layersPlugin, randomShear} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function built(options: Parameters<typeof randomShear>[0], inputShape: number[]) {
  return builtAugmentation(randomShear(options), 'randomShear', inputShape);
}

describe('randomShear', () => {
  it('is the identity outside training', () => {
    expectIdentityOutsideTraining(built({xFactor: 0.5, yFactor: 0.5}, [5, 6, 2]), [2, 5, 6, 2], 1);
  });

  it.each(['reflect', 'wrap', 'nearest', 'constant'] as const)(
    'matches a float64 resampling of ±[1, sx, 0, sy, 1, 0] (one sign for both), filling with %s',
    (fillMode) => {
      const [h, w, c, batch] = [6, 7, 2, 16];
      const [sx, sy] = [0.3, 0.15];
      const layer = built({xFactor: [sx, sx], yFactor: [sy, sy], fillMode, fillValue: 0.5}, [h, w, c]);
      const host = uniform(randomGenerator(4), batch * h * w * c, 0, 1);
      const x = tf.tensor4d(host, [batch, h, w, c]);
      const y = values(layer.call(x, callContext(true, 9)));
      const signs: number[] = [];
      for (let b = 0; b < batch; b++) {
        const image = host.slice(b * h * w * c, (b + 1) * h * w * c);
        const got = y.slice(b * h * w * c, (b + 1) * h * w * c);
        const match = [1, -1].find((s) => {
          const m = [1, s * Math.fround(sx), 0, s * Math.fround(sy), 1, 0, 0, 0];
          return closeness(got, resample(image, [h, w, c], m, 'bilinear', fillMode, 0.5), 1e-5, 1e-6) <= 1;
        });
        expect(match, `image ${b}`).toBeDefined();
        signs.push(match!);
      }
      // Both directions occur (each with probability 1/2).
      expect(signs).toContain(1);
      expect(signs).toContain(-1);
      tf.dispose(x);
    },
  );

  it('draws factors uniformly in [-f, f] for a number f, with the same sign on both axes', () => {
    const n = 11;
    const x = coordinateImages(400, n);
    const y = values(built({xFactor: 0.3, yFactor: [0.1, 0.2], fillMode: 'nearest'}, [n, n, 2]).call(x, callContext(true, 3)));
    // Output (5, 5) reads input (5 + 5·sx, 5 + 5·sy), inside the image: the coordinate channels give sx and sy back.
    const at = (b: number, ch: number) => y[((b * n + 5) * n + 5) * 2 + ch]!;
    const sx = Array.from({length: 400}, (_, b) => (at(b, 0) - 5) / 5);
    const sy = Array.from({length: 400}, (_, b) => (at(b, 1) - 5) / 5);
    expect(sx.every((s) => Math.abs(s) <= 0.3 + 1e-5)).toBe(true);
    expect(Math.min(...sx)).toBeLessThan(-0.25);
    expect(Math.max(...sx)).toBeGreaterThan(0.25);
    expect(sy.every((s) => Math.abs(s) >= 0.1 - 1e-5 && Math.abs(s) <= 0.2 + 1e-5)).toBe(true);
    // The pair is negated together: sy's sign is the sign drawn; sx keeps its own within [-f, f] times that sign.
    const negative = sy.filter((s) => s < 0).length;
    expect(negative).toBeGreaterThan(150);
    expect(negative).toBeLessThan(250);
    x.dispose();
  });

  it('is reproducible: the same seeds give the same output, other seeds another', () => {
    const x = coordinateImages(4, 5);
    expectSeededOutputs(x, (seed) => built({xFactor: 0.4, yFactor: 0.4, seed}, [5, 5, 2]));
    x.dispose();
  });

  it('with the default factors (0) leaves images as they are', () => {
    const x = tf.tensor4d(uniform(randomGenerator(2), 2 * 4 * 4 * 1, 0, 1), [2, 4, 4, 1]);
    const y = built({}, [4, 4, 1]).call(x, callContext(true));
    expect(closeness(values(y), values(x), 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const factor of [1.5, -0.1, [0.1], [0.1, 2], [-0.2, 0.2], 'x']) {
      expect(() => randomShear({xFactor: factor as never})).toThrow(ConfigError);
      expect(() => randomShear({yFactor: factor as never})).toThrow(ConfigError);
    }
    expect(() => randomShear({xFactor: 3})).toThrow(/randomShear: xFactor .*\[0, 1\].*got 3/);
    expect(() => randomShear({xFactor: 0.1, fillMode: 'mirror' as never})).toThrow(/randomShear: fillMode/);
    expect(() => randomShear({x_factor: 0.1} as never)).toThrow(/x_factor/);
    expect(() => built({xFactor: 0.1}, [16])).toThrow(ShapeError);
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomShear({xFactor: [0.3, 0.1], yFactor: 0.2, fillMode: 'wrap', seed: 2, inputShape: [4, 4, 3]});
    expect(layer.xRange).toEqual([0.1, 0.3]);
    expect(layer.yRange).toEqual([-0.2, 0.2]);
    expect(layer.spec).toEqual({
      id: 'trellis/randomShear',
      config: affineConfig({xFactor: [0.3, 0.1], yFactor: 0.2, fillMode: 'wrap', seed: 2, inputShape: [4, 4, 3]}),
    });
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });
});
