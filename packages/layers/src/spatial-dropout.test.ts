import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {catchError, expectNoTensorLeaks} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {layersPlugin, spatialDropout1d, spatialDropout2d} from './index';
import {callContext, createBuildContext, values} from '../test/testing';

/** For `y` of `[batch, a, b, channels]` layout given by `index(sample, position, channel)`, the per-map keep flags. */
function maps(y: number[], batch: number, positions: number, channels: number, index: (s: number, p: number, c: number) => number) {
  const kept: boolean[] = [];
  for (let s = 0; s < batch; s++) {
    for (let c = 0; c < channels; c++) {
      const map = Array.from({length: positions}, (_, p) => y[index(s, p, c)]!);
      // Every position of a map is dropped or kept together.
      expect(new Set(map).size).toBe(1);
      kept.push(map[0] !== 0);
    }
  }
  return kept;
}

describe('spatialDropout1d', () => {
  it('drops whole channels of each sequence with probability rate and scales the rest (binomial tolerance)', () => {
    const rate = 0.3;
    const [batch, steps, channels] = [40, 6, 50];
    const layer = spatialDropout1d({rate});
    expect(layer.build([steps, channels], createBuildContext())).toEqual([steps, channels]);
    const x = tf.ones([batch, steps, channels]);
    const y = layer.call(x, callContext(true, 11));
    const v = values(y);
    const scale = Math.fround(1 / (1 - rate));
    expect(v.every((e) => e === 0 || e === scale)).toBe(true);
    const kept = maps(v, batch, steps, channels, (s, p, c) => (s * steps + p) * channels + c);
    const n = kept.length;
    const keptFraction = kept.filter(Boolean).length / n;
    // 4.5 standard deviations of a binomial proportion over n = 2000 masks.
    expect(Math.abs(keptFraction - (1 - rate))).toBeLessThan(4.5 * Math.sqrt((rate * (1 - rate)) / n));
    tf.dispose([x, y]);
  });

  it('is the identity outside training, reproducible with the same seed, and leaks nothing', async () => {
    const layer = spatialDropout1d({rate: 0.5});
    layer.build([4, 8], createBuildContext());
    const x = tf.ones([3, 4, 8]);
    const inference = layer.call(x, callContext(false));
    expect(values(inference)).toEqual(values(x));
    const [a, b, c] = [7, 7, 8].map((seed) => {
      const y = layer.call(x, callContext(true, seed));
      const v = values(y);
      y.dispose();
      return v;
    });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const seeded = [spatialDropout1d({rate: 0.5, seed: 3}), spatialDropout1d({rate: 0.5, seed: 3})].map((l) => {
      l.build([4, 8], createBuildContext());
      const y = l.call(x, callContext(true, 100));
      const v = values(y);
      y.dispose();
      return v;
    });
    expect(seeded[0]).toEqual(seeded[1]);
    await expectNoTensorLeaks(() => tf.dispose(layer.call(x, callContext(true))));
    tf.dispose([x, inference]);
  });

  it('rejects bad rates and non-sequence inputs, naming the layer and shapes', () => {
    for (const rate of [1, -0.1, '0.5', undefined]) {
      expect(ConfigError.is(catchError(() => spatialDropout1d({rate} as never)))).toBe(true);
    }
    const error = catchError(() => spatialDropout1d({rate: 0.1, name: 'sd'}).build([4, 4, 2], createBuildContext()));
    expect(ShapeError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/spatialDropout1d layer 'sd'.*\[batch, steps, channels\].*\[4, 4, 2\]/);
  });
});

describe('spatialDropout2d', () => {
  for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
    it(`drops whole feature maps with probability rate (${dataFormat})`, () => {
      const rate = 0.4;
      const [batch, h, w, channels] = [30, 3, 4, 40];
      const inputShape = dataFormat === 'channelsLast' ? [h, w, channels] : [channels, h, w];
      const layer = spatialDropout2d({rate, dataFormat});
      layer.build(inputShape, createBuildContext());
      const x = tf.ones([batch, ...inputShape]);
      const y = layer.call(x, callContext(true, 5));
      const v = values(y);
      const index =
        dataFormat === 'channelsLast'
          ? (s: number, p: number, c: number) => (s * h * w + p) * channels + c
          : (s: number, p: number, c: number) => (s * channels + c) * h * w + p;
      const kept = maps(v, batch, h * w, channels, index);
      const keptFraction = kept.filter(Boolean).length / kept.length;
      expect(Math.abs(keptFraction - (1 - rate))).toBeLessThan(4.5 * Math.sqrt((rate * (1 - rate)) / kept.length));
      expect(v.every((e) => e === 0 || e === Math.fround(1 / (1 - rate)))).toBe(true);
      tf.dispose([x, y]);
    });
  }

  it('round-trips its spec (both layers) and rejects bad input', () => {
    const registry = createRegistry(layersPlugin);
    for (const layer of [
      spatialDropout1d({rate: 0.2}),
      spatialDropout1d({rate: 0.2, seed: 9, name: 's', inputShape: [3, 4]}),
      spatialDropout2d({rate: 0.3}),
      spatialDropout2d({rate: 0.3, dataFormat: 'channelsFirst', seed: 1, inputShape: [2, 3, 4]}),
    ]) {
      expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    }
    expect(ConfigError.is(catchError(() => spatialDropout2d({rate: 0.1, dataFormat: 'nhwc' as never})))).toBe(true);
    const error = catchError(() => spatialDropout2d({rate: 0.1}).build([4, 4], createBuildContext()));
    expect(ShapeError.is(error)).toBe(true);
    expect((error as Error).message).toContain('[height, width, channels]');
  });
});
