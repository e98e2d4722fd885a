import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByTrustRatio} from './scale-by-trust-ratio';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByTrustRatio', () => {
  it('scales each variable by ||w|| / ||u||, with ratio 1 when either norm is 0', () => {
    const t = scaleByTrustRatio();
    expect(t.init({})).toEqual({});
    const params = {
      'dense/kernel': tf.tensor2d([
        [3, 0],
        [0, 4],
      ]), // norm 5
      'dense/bias': tf.zeros([2]), // norm 0: ratio 1
      'scale/gamma': tf.tensor1d([1, 1]),
      'scale/beta': tf.tensor1d([-2, 0]), // norm 2
    };
    const grads = {
      'dense/kernel': tf.tensor2d([
        [0.1, 0],
        [0, 0],
      ]), // norm 0.1: ratio 50
      'dense/bias': tf.tensor1d([0.3, -0.4]),
      'scale/gamma': tf.zeros([2]), // norm 0: ratio 1 (no NaN)
      'scale/beta': tf.tensor1d([0, 8]), // norm 8: ratio 0.25
    };
    const r = t.update(grads, {}, params);
    expect(Array.from(r.updates['dense/kernel']!.dataSync())).toEqual([5, 0, 0, 0].map((x) => Math.fround(x)));
    expect(Array.from(r.updates['dense/bias']!.dataSync())).toEqual([0.3, -0.4].map((x) => Math.fround(x)));
    expect(Array.from(r.updates['scale/gamma']!.dataSync())).toEqual([0, 0]);
    expect(Array.from(r.updates['scale/beta']!.dataSync())).toEqual([0, 2]);
    expect(r.state).toEqual({});
    tf.dispose([...Object.values(params), ...Object.values(grads), ...Object.values(r.updates)]);
  });

  it('updates only the variables that have an update', () => {
    const t = scaleByTrustRatio();
    const params = {a: tf.tensor1d([1, 0]), b: tf.tensor1d([0, 2])};
    const grads = {a: tf.tensor1d([0, 4])};
    const r = t.update(grads, {}, params);
    expect(Object.keys(r.updates)).toEqual(['a']);
    expect(Array.from(r.updates.a!.dataSync())).toEqual([0, 1]);
    tf.dispose([...Object.values(params), grads.a, r.updates.a!]);
  });

  it('throws typed errors without params or with mismatched ones, leaking nothing', async () => {
    const t = scaleByTrustRatio();
    const grads = {w: tf.ones([2])};
    expect(() => t.update(grads, {})).toThrow(ConfigError);
    expect(() => t.update(grads, {})).toThrow(/scaleByTrustRatio: update needs the parameters/);
    const other = {v: tf.ones([2])};
    expect(() => t.update(grads, {}, other)).toThrow(/no parameter 'w' for its update/);
    const wrong = {w: tf.ones([3])};
    expect(() => t.update(grads, {}, wrong)).toThrow(ShapeError);
    await expectNoNewTensors(() => t.update(grads, {}, wrong));
    tf.dispose([grads.w, other.v, wrong.w]);
  });
});
