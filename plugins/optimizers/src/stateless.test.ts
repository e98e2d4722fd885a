import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {mapNamed, stateless} from './stateless';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('stateless', () => {
  it('has state {}, maps the gradients and returns new tensors even for inputs returned as they are', async () => {
    const double = stateless('double', (grads) => mapNamed(grads, (g) => tf.mul(g, 2)));
    const same = stateless('same', (grads) => ({a: grads.a!, b: grads.a!}));
    const g = {a: tf.tensor([1, 2])};
    expect(double.init(g)).toEqual({});
    const r = double.update(g, {});
    expect(Array.from(r.updates.a!.dataSync())).toEqual([2, 4]);
    const s = same.update(g, {});
    expect(s.updates.a).not.toBe(g.a);
    expect(s.updates.b).not.toBe(s.updates.a);
    await expectNoNewTensors(() => {
      tf.dispose(Object.values(double.update(g, {}).updates));
    });
    expect(() => double.update({a: 1} as never, {})).toThrow(ConfigError);
    tf.dispose([g.a, r.updates.a!, ...Object.values(s.updates)]);
  });
});
