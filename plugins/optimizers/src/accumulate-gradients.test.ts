import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, StateError, tensorsIn, type GradientTransform, type StateTree} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {adam64, copy, fixedGrad64, initialValues, makeVariables, maxRelDiff, SHAPES, type Arrays} from '../test/fixtures';
import {fixedTensors, trainOurs} from '../test/train';
import {accumulateGradients} from './accumulate-gradients';
import {chain} from './chain';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

describe('accumulateGradients', () => {
  it('updates every n-th step with the mean gradient; the inner Adam counts updates (float64 reference)', () => {
    const n = 3;
    const steps = 20;
    const ours = trainOurs(accumulateGradients(n, chain(scaleByAdam(), scaleByLearningRate(0.01))) as never, steps, fixedTensors());
    const adamStep = adam64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, kerasEpsilon: true});
    const ref = copy(initialValues());
    const acc: Arrays = Object.fromEntries(NAMES.map((name) => [name, new Float64Array(ref[name]!.length)]));
    for (let k = 0; k < steps; k++) {
      const g = Object.fromEntries(NAMES.map((name) => [name, fixedGrad64(k, name)]));
      for (const name of NAMES) acc[name]!.forEach((_, i) => (acc[name]![i] = acc[name]![i]! + g[name]![i]!));
      if ((k + 1) % n === 0) {
        adamStep(ref, Object.fromEntries(NAMES.map((name) => [name, Float64Array.from(acc[name]!, (x) => x / n)])));
        for (const name of NAMES) acc[name]!.fill(0);
      }
    }
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-6);
    expect(maxRelDiff(ref, copy(initialValues()))).toBeGreaterThan(1e-2);
  });

  it('returns zero updates and keeps the inner state between updates; n = 1 is the inner transform', () => {
    const w = {w: tf.tensor1d([1, 2])};
    const t = accumulateGradients(2, scaleByLearningRate(0.5));
    let state = t.init(w);
    expect(state.count).toBe(0);
    const seen: number[][] = [];
    for (const g of [
      [1, 2],
      [3, 6],
      [10, 10],
    ]) {
      const gt = {w: tf.tensor1d(g)};
      const r = t.update(gt, state, w);
      seen.push(Array.from(r.updates.w!.dataSync()));
      tf.dispose([...tensorsIn(state), r.updates.w!, gt.w]);
      state = r.state;
    }
    expect(seen).toEqual([
      [0, 0],
      [-1, -2],
      [0, 0],
    ]);
    expect(state.count).toBe(3);
    expect(state.inner).toEqual({count: 1});
    expect(Array.from(state.accumulated.w!.dataSync())).toEqual([10, 10]);
    const one = accumulateGradients(1, scaleByLearningRate(0.5));
    const g = {w: tf.tensor1d([1, -1])};
    const r = one.update(g, one.init(w), w);
    expect(Array.from(r.updates.w!.dataSync())).toEqual([-0.5, 0.5]);
    tf.dispose([w.w, g.w, r.updates.w!, ...tensorsIn(state), ...tensorsIn(one.init(w))]);
  });

  it('keeps the accumulator of a variable without a gradient in a step', () => {
    const w = {a: tf.tensor1d([1]), b: tf.tensor1d([1])};
    const t = accumulateGradients(3, scaleByLearningRate(1));
    const s0 = t.init(w);
    const g1 = {a: tf.tensor1d([2]), b: tf.tensor1d([5])};
    const r1 = t.update(g1, s0, w);
    const g2 = {a: tf.tensor1d([4])};
    const r2 = t.update(g2, r1.state, w);
    expect(Array.from(r2.state.accumulated.b!.dataSync())).toEqual([5]);
    expect(Array.from(r2.state.accumulated.a!.dataSync())).toEqual([6]);
    expect(Object.keys(r2.updates)).toEqual(['a']);
    tf.dispose([
      ...Object.values(w),
      ...Object.values(g1),
      ...Object.values(g2),
      ...tensorsIn(s0),
      ...tensorsIn(r1 as never),
      ...tensorsIn(r2 as never),
    ]);
  });

  it('forwards finalize to the inner transform', () => {
    const inner: GradientTransform = {
      ...scaleByLearningRate(1),
      finalize: (state, params) => ({w: tf.fill(params.w!.shape, (state as {count: number}).count)}),
    };
    const t = accumulateGradients(2, inner);
    const w = {w: tf.tensor1d([0, 0])};
    const s = t.init(w);
    const f = t.finalize!(s, w)!;
    expect(Array.from(f.w!.dataSync())).toEqual([0, 0]);
    expect(accumulateGradients(2, scaleByLearningRate(1)).finalize).toBeUndefined();
    tf.dispose([w.w, f.w!, ...tensorsIn(s)]);
  });

  it('validates n, inner and the state, and leaks nothing over many steps', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '2']) {
      expect(() => accumulateGradients(bad as number, scaleByLearningRate(1))).toThrow(ConfigError);
    }
    expect(() => accumulateGradients(0, scaleByLearningRate(1))).toThrow(/n \(steps per update\) must be an integer >= 1; got 0/);
    expect(() => accumulateGradients(2, {} as never)).toThrow(/inner must be a gradient transform/);
    const t = accumulateGradients(2, chain(scaleByAdam(), scaleByLearningRate(0.1)));
    const w = {w: tf.tensor1d([1, 2])};
    expect(() => t.update(w, {count: 0, accumulated: {}, inner: []} as never, w)).toThrow(StateError);
    const vars = makeVariables();
    let state: StateTree = t.init(vars);
    await expectNoTensorLeaks(
      () => {
        const g = fixedTensors()(0);
        const r = t.update(g, state as never, vars);
        tf.dispose([...Object.values(g), ...Object.values(r.updates), ...tensorsIn(state)]);
        state = r.state;
      },
      {times: 6},
    );
    await expectNoNewTensors(() => t.update(w, {count: 0, accumulated: {}, inner: []} as never, w));
    tf.dispose([w.w, ...Object.values(vars), ...tensorsIn(state)]);
  });
});
