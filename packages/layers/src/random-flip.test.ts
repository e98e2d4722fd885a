import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, createRegistry} from '@trellis/core';
import {randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {imageOf, remap, type HostImages} from '../test/image-reference';
import {layersPlugin, randomFlip} from './index';
import {callContext, uniform, values} from '../test/testing';
import {builtAugmentation, expectImageCallsLeakNothing} from '../test/augmentation-runs';

function built(options: Parameters<typeof randomFlip>[0], inputShape: number[]) {
  return builtAugmentation(randomFlip(options), 'randomFlip', inputShape);
}

function hostImages(shape: [number, number, number, number], seed: number): HostImages {
  return {values: uniform(randomGenerator(seed), shape[0] * shape[1] * shape[2] * shape[3], 0, 255), shape};
}

/** For each image of the output: 'same', 'flipped' (as the mode flips), or 'other'. */
function classify(input: HostImages, output: number[], axes: ('rows' | 'cols')[]): string[] {
  const [batch, h, w, c] = input.shape;
  return Array.from({length: batch}, (_, b) => {
    const image = imageOf(input, b);
    const got = output.slice(b * h * w * c, (b + 1) * h * w * c);
    const flipped = remap(image, [h, w, c], (y, x) => [axes.includes('rows') ? h - 1 - y : y, axes.includes('cols') ? w - 1 - x : x]);
    if (got.every((v, i) => v === image[i])) return 'same';
    if (got.every((v, i) => v === flipped[i])) return 'flipped';
    return 'other';
  });
}

describe('randomFlip', () => {
  it('is the identity outside training and asks for no seed', () => {
    const layer = built({}, [4, 5, 3]);
    const host = hostImages([2, 4, 5, 3], 1);
    const x = tf.tensor4d(host.values, [...host.shape]);
    let asked = 0;
    const y = layer.call(x, {training: false, nextSeed: () => ++asked});
    expect(y).not.toBe(x);
    expect(values(y)).toEqual(host.values);
    expect(asked).toBe(0);
    tf.dispose([x, y]);
  });

  it.each([
    ['horizontal', ['cols']],
    ['vertical', ['rows']],
    ['horizontal_and_vertical', ['rows', 'cols']],
  ] as const)('in %s mode flips about half of the images, each whole', (mode, axes) => {
    const layer = built({mode}, [3, 4, 2]);
    const host = hostImages([400, 3, 4, 2], 2);
    const x = tf.tensor4d(host.values, [...host.shape]);
    const y = layer.call(x, callContext(true, 11));
    const kinds = classify(host, values(y), [...axes]);
    expect(kinds.includes('other')).toBe(false);
    // Binomial(400, 1/2): standard deviation 10.
    expect(Math.abs(kinds.filter((k) => k === 'flipped').length - 200)).toBeLessThan(40);
    tf.dispose([x, y]);
  });

  it('is reproducible: the same seeds give the same flips, other seeds others', () => {
    const host = hostImages([32, 3, 3, 1], 3);
    const x = tf.tensor4d(host.values, [...host.shape]);
    const run = (layer: ReturnType<typeof randomFlip>, seed: number) =>
      [0, 1].map(() => {
        const y = layer.call(x, callContext(true, seed));
        const v = classify(host, values(y), ['rows', 'cols']).join();
        y.dispose();
        return v;
      });
    const a = run(built({}, [3, 3, 1]), 5);
    expect(run(built({}, [3, 3, 1]), 5)).toEqual(a);
    expect(run(built({}, [3, 3, 1]), 6)[0]).not.toEqual(a[0]);
    // A layer seed gives its own stream, independent of the context; calls differ.
    const b = run(built({seed: 9}, [3, 3, 1]), 1);
    expect(run(built({seed: 9}, [3, 3, 1]), 2)).toEqual(b);
    expect(b[0]).not.toEqual(b[1]);
    x.dispose();
  });

  it('asks the context for one seed per training call', () => {
    const layer = built({}, [2, 2, 1]);
    let asked = 0;
    const x = tf.ones([3, 2, 2, 1]);
    tf.dispose(layer.call(x, {training: true, nextSeed: () => ++asked}));
    expect(asked).toBe(1);
    x.dispose();
  });

  it('takes a single image [h, w, c] and casts int32 to float32', () => {
    const layer = built({mode: 'horizontal'}, [2, 3, 1]);
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1], 'int32');
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const y = layer.call(x, callContext(true, seed));
      expect(y.shape).toEqual([2, 3, 1]);
      expect(y.dtype).toBe('float32');
      seen.add(values(y).join());
      y.dispose();
    }
    expect([...seen].sort()).toEqual(['1,2,3,4,5,6', '3,2,1,6,5,4']);
    x.dispose();
  });

  it('passes gradients through the flip', () => {
    const layer = built({mode: 'vertical'}, [2, 1, 1]);
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2, 1, 1]);
    const weights = tf.tensor4d([10, 20, 30, 40, 50, 60, 70, 80], [4, 2, 1, 1]);
    const y = layer.call(x, callContext(true, 3));
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(weights, layer.call(v, callContext(true, 3)))))(x);
    // Each image's gradient is the weights flipped exactly when the image was.
    const flipped = values(y).map((v, i) => v !== values(x)[i]);
    const expected = [0, 1, 2, 3].flatMap((b) =>
      flipped[2 * b] ? [(b * 2 + 2) * 10, (b * 2 + 1) * 10] : [(b * 2 + 1) * 10, (b * 2 + 2) * 10],
    );
    expect(values(g)).toEqual(expected);
    tf.dispose([x, weights, y, g]);
  });

  it('validates its options and shapes, naming the layer and the values', () => {
    expect(() => randomFlip({mode: 'diagonal' as never})).toThrow(ConfigError);
    expect(() => randomFlip({mode: 'diagonal' as never})).toThrow(/randomFlip: mode .*'diagonal'/);
    expect(() => randomFlip({seed: -1})).toThrow(ConfigError);
    expect(() => randomFlip(3 as never)).toThrow(ConfigError);
    expect(() => built({}, [4, 4])).toThrow(ShapeError);
    expect(() => built({}, [4, 4])).toThrow(/\[batch, height, width, channels\].*\[4, 4\]/);
    const x = tf.ones([2, 4, 4, 1]);
    expect(() => randomFlip({}).call(x, callContext(true))).toThrow(StateError);
    expect(() => built({name: 'flip'}, [4, 5, 1]).call(x, callContext(true))).toThrow(/randomFlip layer 'flip'.*got \[2, 4, 4, 1\]/);
    x.dispose();
  });

  it('round-trips its spec through the registry', () => {
    const registry = createRegistry(layersPlugin);
    const layer = randomFlip({mode: 'vertical', seed: 4, name: 'flip', inputShape: [8, 8, 3]});
    expect(layer.spec).toEqual({id: 'trellis/randomFlip', config: {name: 'flip', mode: 'vertical', seed: 4, inputShape: [8, 8, 3]}});
    expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    expect(randomFlip().spec.config).toEqual({name: '', mode: 'horizontal_and_vertical', seed: null});
    expect(JSON.parse(JSON.stringify(layer.spec))).toEqual(layer.spec);
  });

  it('leaks no tensors', async () => {
    await expectImageCallsLeakNothing(built({}, [3, 3, 2]), [4, 3, 3, 2], true);
  });
});
