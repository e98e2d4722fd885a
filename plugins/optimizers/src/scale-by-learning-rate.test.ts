import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, StateError, type Schedule} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByLearningRate', () => {
  it('multiplies by -lr and counts steps on the host', () => {
    const g = {w: tf.tensor1d([1, -2])};
    const t = scaleByLearningRate(0.5);
    const s0 = t.init(g);
    expect(s0).toEqual({count: 0});
    const {updates, state} = t.update(g, s0);
    expect(Array.from(updates.w!.dataSync())).toEqual([-0.5, 1]);
    expect(state).toEqual({count: 1});
    tf.dispose([g.w, updates.w!]);
  });

  it('evaluates a plain function of the step (no spec needed at this level)', () => {
    const g = {w: tf.tensor1d([1])};
    const calls: number[] = [];
    const t = scaleByLearningRate(((step: number) => {
      calls.push(step);
      return 2 ** -step;
    }) as Schedule);
    let state = t.init(g);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = t.update(g, state);
      seen.push(r.updates.w!.dataSync()[0]!);
      r.updates.w!.dispose();
      state = r.state;
    }
    expect(calls).toEqual([0, 1, 2]);
    expect(seen).toEqual([-1, -0.5, -0.25]);
    g.w.dispose();
  });

  it('throws a ConfigError when the schedule returns NaN, leaking nothing', async () => {
    const g = {w: tf.tensor1d([1])};
    const t = scaleByLearningRate(((step: number) => (step > 0 ? Number.NaN : 1)) as Schedule);
    expect(() => t.update(g, {count: 1})).toThrow(ConfigError);
    expect(() => t.update(g, {count: 1})).toThrow(/returned NaN at step 1; a learning rate must be a finite number >= 0/);
    await expectNoNewTensors(() => t.update(g, {count: 1}));
    g.w.dispose();
  });

  it('validates the learning rate and the state', () => {
    expect(() => scaleByLearningRate(0)).toThrow(ConfigError);
    expect(() => scaleByLearningRate(-1)).toThrow(/learningRate must be a finite number > 0 or a schedule; got -1/);
    const g = {w: tf.tensor1d([1])};
    expect(() => scaleByLearningRate(0.1).update(g, {} as never)).toThrow(StateError);
    expect(() => scaleByLearningRate(0.1).update(g, {count: 1.5})).toThrow(/integer >= 0/);
    expect(() => scaleByLearningRate(0.1).update(g, null as never)).toThrow(StateError);
    g.w.dispose();
  });
});
