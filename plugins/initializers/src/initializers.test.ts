import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, DTypeError, createRegistry} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';
import {computeFans, glorotUniform, initializers, initializersPlugin, zeros} from './index';

beforeAll(() => tf.setBackend('cpu'));

describe('computeFans', () => {
  it('follows Keras for dense, conv, vector and scalar shapes', () => {
    expect(computeFans([784, 512])).toEqual([784, 512]);
    expect(computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(computeFans([5, 8, 4])).toEqual([40, 20]);
    expect(computeFans([7])).toEqual([7, 7]);
    expect(computeFans([])).toEqual([1, 1]);
  });

  it('multiplies by the receptive field for conv1d, conv2d, conv3d and depthwise kernels (as Keras)', () => {
    // conv1d [kernel, in, out], conv2d [kh, kw, in, out], conv3d [kd, kh, kw, in, out],
    // depthwise [kh, kw, in, multiplier].
    expect(computeFans([5, 3, 8])).toEqual([15, 40]);
    expect(computeFans([5, 5, 1, 20])).toEqual([25, 500]);
    expect(computeFans([2, 3, 3, 4, 6])).toEqual([72, 108]);
    expect(computeFans([3, 3, 32, 1])).toEqual([288, 9]);
  });
});

describe('zeros', () => {
  it('makes zeros of the shape and dtype', () => {
    const t = zeros()([2, 3], 'int32');
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    t.dispose();
    expect(zeros().spec).toEqual({id: 'trellis/zeros', config: {}});
  });
});

describe('glorotUniform', () => {
  it('samples U(-limit, limit) with limit = sqrt(6 / (fanIn + fanOut))', () => {
    const t = glorotUniform({seed: 1})([300, 200], 'float32');
    const values = t.dataSync();
    const limit = Math.sqrt(6 / 500);
    let max = 0;
    let sum = 0;
    let sumSq = 0;
    for (const v of values) {
      max = Math.max(max, Math.abs(v));
      sum += v;
      sumSq += v * v;
    }
    const n = values.length;
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(limit * 0.999);
    expect(Math.abs(sum / n)).toBeLessThan(0.01 * limit);
    // The variance of U(-a, a) is a²/3.
    expect(sumSq / n).toBeCloseTo((limit * limit) / 3, 4);
    t.dispose();
  });

  it('rejects bad seeds and non-float dtypes without leaking', async () => {
    expect(() => glorotUniform({seed: -1})).toThrow(ConfigError);
    expect(() => glorotUniform({seed: 1.5})).toThrow(/non-negative integer; got 1.5/);
    await expectNoNewTensors(() => glorotUniform()([2, 2], 'int32'));
    expect(() => glorotUniform()([2, 2], 'int32')).toThrow(DTypeError);
  });
});

describe('initializersPlugin', () => {
  it('rebuilds initializers from their specs', () => {
    const registry = createRegistry(initializersPlugin);
    const original = glorotUniform({seed: 3});
    const rebuilt = registry.resolve('initializer', original.spec);
    expect(rebuilt.spec).toEqual(original.spec);
    const a = original([3, 3], 'float32');
    const b = rebuilt([3, 3], 'float32');
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
    expect(registry.resolve('initializer', 'zeros').spec.id).toBe('trellis/zeros');
    // The namespace lists every factory under its spec id's plain name (checked in namespace.test.ts).
    expect(registry.ids('initializer')).toEqual(Object.keys(initializers).map((name) => `trellis/${name}`));
  });

  it.each([
    ['constant', api.constant({value: 0.5})],
    ['glorotNormal', api.glorotNormal({seed: 1})],
    ['glorotUniform', api.glorotUniform()],
    ['heNormal', api.heNormal({seed: 2})],
    ['heUniform', api.heUniform({seed: 3})],
    ['identity', api.identityInitializer({gain: 2})],
    ['lecunNormal', api.lecunNormal({seed: 4})],
    ['lecunUniform', api.lecunUniform()],
    ['ones', api.ones()],
    ['orthogonal', api.orthogonal({gain: 1.5, seed: 5})],
    ['randomNormal', api.randomNormal({mean: 1, stddev: 2, seed: 6})],
    ['randomUniform', api.randomUniform({minval: 0, maxval: 1, seed: 7})],
    ['truncatedNormal', api.truncatedNormal({stddev: 0.1, seed: 8})],
    ['varianceScaling', api.varianceScaling({scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 9})],
    ['zeros', api.zeros()],
  ])('%s round-trips through the registry and draws the same numbers', (_name, original) => {
    const registry = createRegistry(initializersPlugin);
    const rebuilt = registry.resolve('initializer', original.spec);
    expect(rebuilt.spec).toEqual(original.spec);
    expect(registry.resolve('initializer', JSON.parse(JSON.stringify(original.spec))).spec).toEqual(original.spec);
    const a = original([4, 4], 'float32', 11);
    const b = rebuilt([4, 4], 'float32', 11);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
  });
});
