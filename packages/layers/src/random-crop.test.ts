import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {remap} from '../test/image-reference';
import {layersPlugin, randomCrop} from './index';
import {callContext, closeness, uniform, values} from '../test/testing';
import {builtAugmentation, expectImageCallsLeakNothing} from '../test/augmentation-runs';

function built(options: Parameters<typeof randomCrop>[0], inputShape: number[]) {
  return builtAugmentation(randomCrop(options), 'randomCrop', inputShape, [options.height, options.width, inputShape[2]]);
}

/** The [row, column] of the window of `image` ([h, w, c]) equal to `crop` ([ch, cw, c]), or null. */
function findWindow(image: number[], [h, w, c]: number[], crop: number[], [ch, cw]: number[]): [number, number] | null {
  for (let r = 0; r + ch! <= h!; r++) {
    for (let q = 0; q + cw! <= w!; q++) {
      const window = remap(image, [h!, w!, c!], (y, x) => [y, x]).filter((_, i) => {
        const pixel = Math.floor(i / c!);
        const [y, x] = [Math.floor(pixel / w!), pixel % w!];
        return y >= r && y < r + ch! && x >= q && x < q + cw!;
      });
      if (window.every((v, i) => v === crop[i])) return [r, q];
    }
  }
  return null;
}

describe('randomCrop', () => {
  it('passes images through uncropped outside training, as Keras 3 does', () => {
    const layer = built({height: 2, width: 3}, [4, 5, 2]);
    const x = tf.tensor4d(uniform(randomGenerator(1), 2 * 4 * 5 * 2, 0, 1), [2, 4, 5, 2]);
    let asked = 0;
    const y = layer.call(x, {training: false, nextSeed: () => ++asked});
    expect(y).not.toBe(x);
    expect(y.shape).toEqual([2, 4, 5, 2]);
    expect(values(y)).toEqual(values(x));
    expect(asked).toBe(0);
    tf.dispose([x, y]);
  });

  it('cuts one window per call, the same for the whole batch, uniform over the valid positions', () => {
    const [h, w, c] = [6, 7, 1];
    const layer = built({height: 4, width: 4}, [h, w, c]);
    const host = Array.from({length: 2 * h * w}, (_, i) => i);
    const x = tf.tensor4d(host, [2, h, w, c]);
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 600; seed++) {
      const y = layer.call(x, callContext(true, seed));
      expect(y.shape).toEqual([2, 4, 4, 1]);
      const v = values(y);
      const first = findWindow(host.slice(0, h * w), [h, w, c], v.slice(0, 16), [4, 4]);
      expect(first).not.toBeNull();
      expect(findWindow(host.slice(h * w), [h, w, c], v.slice(16), [4, 4])).toEqual(first);
      counts.set(first!.join(), (counts.get(first!.join()) ?? 0) + 1);
      y.dispose();
    }
    // 3 × 4 positions, 50 expected each (standard deviation about 7).
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((n) => n > 25 && n < 80)).toBe(true);
    x.dispose();
  });

  it('crops the centre when the image is not larger than the crop on both axes', () => {
    const host = uniform(randomGenerator(2), 8 * 10 * 2, 0, 1);
    const x = tf.tensor4d(host, [1, 8, 10, 2]);
    const y = built({height: 8, width: 6}, [8, 10, 2]).call(x, callContext(true));
    expect(values(y)).toEqual(
      remap(host, [8, 10, 2], (r, q) => [r, q]).filter((_, i) => {
        const q = Math.floor(i / 2) % 10;
        return q >= 2 && q < 8;
      }),
    );
    tf.dispose([x, y]);
  });

  it('resizes up (bilinear, half-pixel centres) when the image is smaller than the crop', () => {
    // 3×4 input, 6×4 crop: the centred window with the crop's aspect ratio is 3×2, starting at (0, 1); the
    // slice [0, 6) × [1, 5), clipped to 3×3, is resized to 6×4 (as Keras does).
    const host = uniform(randomGenerator(3), 12, 0, 1);
    const x = tf.tensor4d(host, [1, 3, 4, 1]);
    const y = built({height: 6, width: 4}, [3, 4, 1]).call(x, callContext(true));
    const source = (out: number, scale: number, size: number) => {
      const s = Math.min(Math.max((out + 0.5) * scale - 0.5, 0), size - 1);
      const lo = Math.floor(s);
      return [lo, Math.min(lo + 1, size - 1), s - lo] as const;
    };
    const at = (r: number, q: number) => host[r * 4 + 1 + q]!;
    const expected = Array.from({length: 24}, (_, i) => {
      const [r0, r1, fr] = source(Math.floor(i / 4), 3 / 6, 3);
      const [q0, q1, fq] = source(i % 4, 3 / 4, 3);
      const top = (1 - fq) * at(r0, q0) + fq * at(r0, q1);
      const bottom = (1 - fq) * at(r1, q0) + fq * at(r1, q1);
      return (1 - fr) * top + fr * bottom;
    });
    expect(closeness(values(y), expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('is reproducible and takes a single image [h, w, c]', () => {
    const x = tf.tensor3d(
      Array.from({length: 64}, (_, i) => i),
      [8, 8, 1],
    );
    const run = (seed: number, layerSeed: number | null = null) => {
      const y = built({height: 3, width: 3, seed: layerSeed}, [8, 8, 1]).call(x, callContext(true, seed));
      expect(y.shape).toEqual([3, 3, 1]);
      const v = values(y);
      y.dispose();
      return v;
    };
    expect(run(1)).toEqual(run(1));
    expect([2, 3, 4, 5].some((s) => run(s).join() !== run(1).join())).toBe(true);
    expect(run(1, 6)).toEqual(run(2, 6));
    x.dispose();
  });

  it('passes gradients to the cropped pixels', () => {
    const layer = built({height: 2, width: 2}, [2, 2, 1]);
    const x = tf.ones([1, 2, 2, 1]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(layer.call(v, callContext(true))))(x);
    expect(values(g)).toEqual([1, 1, 1, 1]);
    tf.dispose([x, g]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    for (const size of [0, -1, 2.5, '3', undefined]) {
      expect(() => randomCrop({height: size as never, width: 3})).toThrow(ConfigError);
      expect(() => randomCrop({height: 3, width: size as never})).toThrow(ConfigError);
    }
    expect(() => randomCrop({height: 3, width: 0})).toThrow(/randomCrop: width must be a positive integer.*got 0/);
    expect(() => randomCrop(null as never)).toThrow(ConfigError);
    expect(() => built({height: 2, width: 2}, [4, 4])).toThrow(ShapeError);
    const x = tf.ones([1, 4, 4, 1]);
    expect(() => randomCrop({height: 2, width: 2}).call(x, callContext(true))).toThrow(StateError);
    expect(() => built({height: 2, width: 2, name: 'crop'}, [5, 4, 1]).call(x, callContext(true))).toThrow(
      /randomCrop layer 'crop'.*got \[1, 4, 4, 1\]/,
    );
    x.dispose();
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomCrop({height: 24, width: 20, seed: 3, name: 'crop', inputShape: [32, 32, 3]});
    expect(layer.spec).toEqual({id: 'trellis/randomCrop', config: {name: 'crop', height: 24, width: 20, seed: 3, inputShape: [32, 32, 3]}});
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    expect(randomCrop({height: 1, width: 2}).spec.config).toEqual({name: '', height: 1, width: 2, seed: null});
  });

  it('leaks no tensors', async () => {
    await expectImageCallsLeakNothing(built({height: 3, width: 5}, [4, 4, 1]));
  });
});
