import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, upSampling2d} from './index';
import {callContext, closeness, createBuildContext, uniform} from '../test/testing';
import {expectBuildAndCallErrors, imageShapeErrors} from '../test/layer-errors';
import {expectCallAndGradientLeakNothing} from '../test/shape-layer-runs';

const [B, H, W, C] = [2, 3, 5, 2];

/**
 * Float64 bilinear upsampling with half-pixel centers, clamped at the edges,
 * and its gradient for the cotangent `dy`.
 */
function bilinear(x: number[], dy: number[], rows: number, columns: number): {y: number[]; dx: number[]} {
  const taps = (o: number, n: number, factor: number): [number, number, number] => {
    const position = Math.min(Math.max((o + 0.5) / factor - 0.5, 0), n - 1);
    const lower = Math.floor(position);
    return [lower, Math.min(lower + 1, n - 1), position - lower];
  };
  const y: number[] = [];
  const dx = new Array<number>(x.length).fill(0);
  const at = (b: number, i: number, j: number, c: number) => ((b * H + i) * W + j) * C + c;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < H * rows; i++) {
      const [i0, i1, fi] = taps(i, H, rows);
      for (let j = 0; j < W * columns; j++) {
        const [j0, j1, fj] = taps(j, W, columns);
        for (let c = 0; c < C; c++) {
          const weights: [number, number][] = [
            [at(b, i0, j0, c), (1 - fi) * (1 - fj)],
            [at(b, i0, j1, c), (1 - fi) * fj],
            [at(b, i1, j0, c), fi * (1 - fj)],
            [at(b, i1, j1, c), fi * fj],
          ];
          const out = y.length;
          y.push(weights.reduce((s, [k, v]) => s + v * x[k]!, 0));
          for (const [k, v] of weights) dx[k]! += v * dy[out]!;
        }
      }
    }
  }
  return {y, dx};
}

describe('upSampling2d', () => {
  for (const size of [2, [3, 1], [1, 2]] as const) {
    it(`repeats rows and columns like tfjs-layers, gradient = block sums (nearest, size ${JSON.stringify(size)})`, () => {
      const layer = upSampling2d({size});
      const [rows, columns] = typeof size === 'number' ? [size, size] : size;
      expect(layer.build([H, W, C], createBuildContext())).toEqual([H * rows, W * columns, C]);
      const x = tf.tensor4d(uniform(randomGenerator(rows * 10 + columns), B * H * W * C, -1, 1), [B, H, W, C]);
      const y = layer.call(x, callContext(false));
      const oracle = tfl.layers.upSampling2d({size: [rows, columns]}).apply(x) as tf.Tensor;
      expect(y.shape).toEqual([B, H * rows, W * columns, C]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(oracle.dataSync()));
      const w = tf.tensor(uniform(randomGenerator(4), y.size, -1, 1), y.shape);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, layer.call(t, callContext(true)))))(x);
      const blocks = tf.sum(tf.reshape(w, [B, H, rows, W, columns, C]), [2, 4]);
      expect(closeness(g.dataSync(), blocks.dataSync(), 1e-6, 1e-7)).toBeLessThanOrEqual(1);
      tf.dispose([x, y, oracle, w, g, blocks]);
    });
  }

  for (const size of [2, [3, 2], [1, 3]] as const) {
    it(`matches a float64 half-pixel bilinear interpolation, forward and backward (size ${JSON.stringify(size)})`, () => {
      const layer = upSampling2d({size, interpolation: 'bilinear'});
      const [rows, columns] = typeof size === 'number' ? [size, size] : size;
      layer.build([H, W, C], createBuildContext());
      const xs = uniform(randomGenerator(rows + columns), B * H * W * C, -1, 1);
      const dys = uniform(randomGenerator(5), B * H * rows * W * columns * C, -1, 1);
      const ref = bilinear(xs, dys, rows, columns);
      const x = tf.tensor4d(xs, [B, H, W, C]);
      const dy = tf.tensor4d(dys, [B, H * rows, W * columns, C]);
      const y = layer.call(x, callContext(false));
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(t, callContext(true)))))(x);
      expect(closeness(y.dataSync(), ref.y, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      expect(closeness(g.dataSync(), ref.dx, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      // tfjs-core's resizeBilinear with half-pixel centers computes the same forward.
      const resized = tf.image.resizeBilinear(x, [H * rows, W * columns], false, true);
      expect(closeness(y.dataSync(), resized.dataSync(), 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([x, dy, y, g, resized]);
    });
  }

  it('has a spec that round-trips', () => {
    const layer = upSampling2d({size: [2, 3], interpolation: 'bilinear', name: 'u'});
    expect(layer.spec).toEqual({
      id: 'trellis/upSampling2d',
      config: {name: 'u', size: [2, 3], interpolation: 'bilinear', dataFormat: 'channelsLast'},
    });
    expect(upSampling2d().spec.config).toEqual({name: '', size: [2, 2], interpolation: 'nearest', dataFormat: 'channelsLast'});
    expect(createRegistry(layersPlugin).resolve('layer', layer.spec).spec).toEqual(layer.spec);
  });

  it('rejects invalid options with ConfigError and shapes it cannot take with ShapeError', () => {
    for (const options of [{size: 0}, {size: [2]}, {size: 1.5}, {interpolation: 'bicubic'}, {dataFormat: 'channelsFirst'}, {name: 1}]) {
      expect(() => upSampling2d(options as never), JSON.stringify(options)).toThrow(ConfigError);
    }
    expectBuildAndCallErrors(upSampling2d({name: 'u'}), upSampling2d(), imageShapeErrors('upSampling2d', 'u'));
  });

  it('leaks no tensors', async () => {
    for (const interpolation of ['nearest', 'bilinear'] as const) {
      await expectCallAndGradientLeakNothing(upSampling2d({interpolation}), [H, W, C], B);
    }
  });
});
