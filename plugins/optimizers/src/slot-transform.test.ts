import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ShapeError, tensorsIn} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {slotTransform} from './slot-transform';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A trace of the gradients that emits the trace itself (the update and the slot are one tensor). */
const trace = slotTransform({
  who: 'trace',
  slots: ['acc'],
  count: true,
  update: (g, {acc}, {count}) => {
    const next = tf.add(tf.mul(acc, 0.5), tf.mul(g, count + 1));
    return {update: next, slots: {acc: next}};
  },
});

describe('slotTransform', () => {
  it('makes zero slots and a counter, updates them, and keeps the slots of variables without a gradient', () => {
    const params = {a: tf.ones([2]), b: tf.ones([3])};
    const s0 = trace.init(params);
    expect(Object.keys(s0)).toEqual(['count', 'acc']);
    expect(s0.count).toBe(0);
    const g = tf.tensor([1, 2]);
    const r1 = trace.update({a: g}, s0);
    expect(r1.state.count).toBe(1);
    expect(Array.from(r1.updates.a!.dataSync())).toEqual([1, 2]);
    expect(Array.from(r1.state.acc.b!.dataSync())).toEqual([0, 0, 0]);
    expect(r1.state.acc.b).not.toBe(s0.acc.b);
    expect(r1.updates.a).not.toBe(r1.state.acc.a);
    const r2 = trace.update({a: g}, r1.state);
    expect(Array.from(r2.updates.a!.dataSync())).toEqual([2.5, 5]);
    tf.dispose([
      g,
      ...Object.values(params),
      ...tensorsIn(s0),
      ...tensorsIn(r1.state),
      ...tensorsIn(r1.updates),
      ...tensorsIn(r2.state),
      ...tensorsIn(r2.updates),
    ]);
  });

  it('fills slots given as {name: value} with that value in float32', () => {
    const t = slotTransform({who: 'filled', slots: {sum: 0.25}, update: (g, {sum}) => ({update: g, slots: {sum: tf.add(sum, g)}})});
    const p = tf.zeros([2], 'int32');
    const s = t.init({p});
    expect(Object.keys(s)).toEqual(['sum']);
    expect(s.sum.p!.dtype).toBe('float32');
    expect(Array.from(s.sum.p!.dataSync())).toEqual([0.25, 0.25]);
    const g = tf.ones([2]);
    const r = t.update({p: g}, s);
    expect(r.updates.p).not.toBe(g);
    tf.dispose([p, g, ...tensorsIn(s), ...tensorsIn(r.state), ...tensorsIn(r.updates)]);
  });

  it('refuses a bad counter, a missing slot and a slot of another shape before any op, leaking nothing', async () => {
    const params = {a: tf.ones([2])};
    const state = trace.init(params);
    const g = {a: tf.ones([2]), b: tf.ones([2])};
    await expectNoNewTensors(() => {
      expect(() => trace.update(g, state)).toThrow(/trace: no acc slot for variable 'b'/);
    });
    expect(() => trace.update({a: g.a}, {...state, count: -1})).toThrow(/trace: state.count must be an integer >= 0/);
    const wide = tf.ones([3]);
    expect(() => trace.update({a: wide}, state)).toThrow(ShapeError);
    wide.dispose();
    expect(() => trace.update({a: g.a}, {count: 0} as never)).toThrow(/trace: state.acc must be slot tensors/);
    await expectNoNewTensors(() => {
      const r = trace.update({a: g.a}, state);
      tf.dispose([...tensorsIn(r.state), ...tensorsIn(r.updates)]);
    });
    tf.dispose([...Object.values(params), ...Object.values(g), ...tensorsIn(state)]);
  });

  it('refuses bad parts', () => {
    const update = (g: tf.Tensor) => ({update: g, slots: {}}) as never;
    expect(() => slotTransform({who: '', slots: ['a'], update})).toThrow(/slotTransform: who must be/);
    expect(() => slotTransform({who: 't', slots: [], update})).toThrow(/slotTransform: slots must be/);
    expect(() => slotTransform({who: 't', slots: ['count'], update})).toThrow(/slotTransform: slots must be/);
    expect(() => slotTransform({who: 't', slots: {a: Number.NaN}, update})).toThrow(/slotTransform: slots must be/);
    expect(() => slotTransform({who: 't', slots: ['a'], update: 1 as never})).toThrow(/t: update must be a function/);
    const forgetful = slotTransform({who: 'forgetful', slots: ['a'], update});
    const p = {w: tf.ones([2])};
    const state = forgetful.init(p);
    expect(() => forgetful.update(p, state)).toThrow(
      /forgetful: update must return \{update, slots: \{a\}\} with tensors; slot a of 'w' is undefined/,
    );
    tf.dispose([p.w, ...tensorsIn(state)]);
  });
});
