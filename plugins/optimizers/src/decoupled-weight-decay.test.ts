import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, withSpec, type GradientTransform, type NamedTensors, type Schedule} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {copy, fixedGrad64, initialValues, maxRelDiff, sgd64} from '../test/fixtures';
import {fixedTensors, train64, trainOurs} from '../test/train';
import {chain} from './chain';
import {decoupledWeightDecay} from './decoupled-weight-decay';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByMomentum} from './scale-by-momentum';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const schedule = withSpec({id: 'test/halving', config: {}}, ((step: number) => 0.2 * 0.5 ** step) as (step: number) => number) as Schedule;

/** A transform that records the parameters it is given and emits zeros. */
function probe(seen: number[][]): GradientTransform {
  return {
    init: () => ({}),
    update(grads, _state, params) {
      seen.push(Array.from(params!.w!.dataSync()));
      return {updates: Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, tf.zerosLike(g)])) as NamedTensors, state: {}};
    },
  };
}

describe('decoupledWeightDecay', () => {
  it('shrinks w by w * weightDecay * lr(step) before the inner rule, which sees the decayed w', () => {
    const seen: number[][] = [];
    const t = decoupledWeightDecay(probe(seen), {weightDecay: 0.5, learningRate: schedule});
    const w = {w: tf.tensor1d([2, -4])};
    const g = {w: tf.tensor1d([1, 1])};
    let state = t.init(w);
    const updates: number[][] = [];
    for (let step = 0; step < 2; step++) {
      const r = t.update(g, state, w);
      updates.push(Array.from(r.updates.w!.dataSync()));
      r.updates.w!.dispose();
      state = r.state;
    }
    // step 0: lr 0.2 → w * 0.1; step 1: lr 0.1 → w * 0.05 (parameters not assigned here).
    // The update is the rounded decayed value minus w, so w + update is exactly Keras' w'.
    expect(seen[0]).toEqual([1.8, -3.6].map(Math.fround));
    expect(updates[0]).toEqual([1.8 - 2, -3.6 + 4].map((_, i) => Math.fround(seen[0]![i]! - [2, -4][i]!)));
    expect(updates[1]).toEqual([1.9 - 2, -3.8 + 4].map((_, i) => Math.fround(Math.fround([1.9, -3.8][i]!) - [2, -4][i]!)));
    expect(updates[0]!.map((u, i) => Math.fround(u + [2, -4][i]!))).toEqual([1.8, -3.6].map(Math.fround));
    expect(state.count).toBe(2);
    tf.dispose([w.w, g.w]);
  });

  it('around SGD with momentum is Keras SGD with weight_decay and a schedule (float64 reference)', () => {
    const wd = 0.3;
    const lr = (step: number) => 0.1 * 0.9 ** step;
    const rate = withSpec({id: 'test/rate', config: {}}, lr) as Schedule;
    const ours = trainOurs(
      decoupledWeightDecay(chain(scaleByLearningRate(rate), scaleByMomentum({decay: 0.9})), {weightDecay: wd, learningRate: rate}) as never,
      25,
      fixedTensors(),
    );
    const sgdStep = sgd64({lr, momentum: 0.9, nesterov: false});
    let step = 0;
    const ref = train64(
      (p, g) => {
        for (const v of Object.values(p)) for (let k = 0; k < v.length; k++) v[k] = v[k]! - v[k]! * wd * lr(step);
        sgdStep(p, g);
        step += 1;
      },
      25,
      fixedGrad64,
    );
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-6);
    expect(maxRelDiff(ref, copy(initialValues()))).toBeGreaterThan(1e-2);
  });

  it('skips masked variables and weightDecay 0', () => {
    const w = {'dense/kernel': tf.tensor1d([2]), 'dense/bias': tf.tensor1d([2])};
    const g = {'dense/kernel': tf.tensor1d([0]), 'dense/bias': tf.tensor1d([0])};
    const inner = scaleByLearningRate(0.1);
    const masked = decoupledWeightDecay(inner, {weightDecay: 1, learningRate: 0.1, mask: ['bias']});
    const r = masked.update(g, masked.init(w), w);
    expect(r.updates['dense/kernel']!.dataSync()[0]).toBeCloseTo(-0.2, 6);
    expect(Math.abs(r.updates['dense/bias']!.dataSync()[0]!)).toBe(0);
    const none = decoupledWeightDecay(inner, {weightDecay: 0, learningRate: 0.1});
    const z = none.update(g, none.init(w), w);
    expect(Math.abs(z.updates['dense/kernel']!.dataSync()[0]!)).toBe(0);
    tf.dispose([...Object.values(w), ...Object.values(g), ...Object.values(r.updates), ...Object.values(z.updates)]);
  });

  it('forwards finalize, validates its arguments and leaks nothing', async () => {
    const inner: GradientTransform = {...scaleByLearningRate(0.1), finalize: (_s, p) => ({w: tf.onesLike(p.w!)})};
    const t = decoupledWeightDecay(inner, {weightDecay: 0.1, learningRate: 0.1});
    const w = {w: tf.tensor1d([2, 3])};
    const state = t.init(w);
    const f = t.finalize!(state, w)!;
    expect(Array.from(f.w!.dataSync())).toEqual([1, 1]);
    expect(decoupledWeightDecay(scaleByLearningRate(0.1), {weightDecay: 0.1, learningRate: 0.1}).finalize).toBeUndefined();
    expect(() => decoupledWeightDecay({} as never, {weightDecay: 0.1, learningRate: 0.1})).toThrow(
      /first argument must be a gradient transform/,
    );
    expect(() => decoupledWeightDecay(inner, {weightDecay: -0.1, learningRate: 0.1})).toThrow(ConfigError);
    expect(() => decoupledWeightDecay(inner, {weightDecay: 0.1, learningRate: 0})).toThrow(/learningRate must be a finite number > 0/);
    expect(() => t.update(w, state)).toThrow(/decoupledWeightDecay needs the parameters/);
    const nan = decoupledWeightDecay(inner, {weightDecay: 0.1, learningRate: (() => Number.NaN) as never});
    expect(() => nan.update(w, nan.init(w), w)).toThrow(/schedule returned NaN/);
    await expectNoNewTensors(() => t.update(w, state, w));
    await expectNoNewTensors(() => nan.update(w, {count: 0, inner: {count: 0}}, w));
    tf.dispose([w.w, f.w!]);
  });
});
