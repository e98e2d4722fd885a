import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, StateError, StatefulOptimizer, withSpec, type GradientTransform} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {keyedPartialSteps} from '../test/transform-checks';
import {chain} from './chain';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByMomentum, type ScaleByMomentumState} from './scale-by-momentum';
import {sgd} from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const G = [
  [1, -2, 0.5],
  [0.25, 3, -1],
  [-0.5, 0.5, 2],
  [2, 0, -3],
];

for (const nesterov of [false, true]) {
  describe(`scaleByMomentum (nesterov: ${nesterov})`, () => {
    it('follows trace = d*trace + u, out = nesterov ? u + d*trace : trace', () => {
      const decay = 0.7;
      const t = scaleByMomentum({decay, nesterov});
      const w = tf.zeros([3]);
      let state: ScaleByMomentumState = t.init({w});
      const trace = [0, 0, 0];
      for (const row of G) {
        const g = {w: tf.tensor1d(row)};
        const r = t.update(g, state);
        row.forEach((u, k) => (trace[k] = decay * trace[k]! + u));
        const expected = nesterov ? row.map((u, k) => u + decay * trace[k]!) : trace;
        Array.from(r.updates.w!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 5));
        Array.from(r.state.trace.w!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(trace[k]!, 5));
        tf.dispose([g.w, r.updates.w!, ...Object.values(state.trace)]);
        state = r.state;
      }
      tf.dispose([w, ...Object.values(state.trace)]);
    });
  });
}

describe('scaleByMomentum state', () => {
  it('keys slots by name and keeps the trace of a variable that got no gradient', () => {
    const {s0, s1, s2, inputs} = keyedPartialSteps(scaleByMomentum({decay: 0.5}));
    expect(Object.keys(s0.trace).sort()).toEqual(['a/kernel', 'b/kernel']);
    expect(Object.keys(s2.updates)).toEqual(['a/kernel']);
    expect(Array.from(s2.state.trace['a/kernel']!.dataSync())).toEqual([1.5, 1.5]);
    expect(Array.from(s2.state.trace['b/kernel']!.dataSync())).toEqual([2, 2]);
    // The carried slot is a new tensor: disposing the old state leaves it intact.
    expect(s2.state.trace['b/kernel']).not.toBe(s1.state.trace['b/kernel']);
    tf.dispose([...inputs, ...Object.values(s0.trace)]);
    tf.dispose([...Object.values(s1.updates), ...Object.values(s1.state.trace)]);
    expect(Array.from(s2.state.trace['b/kernel']!.dataSync())).toEqual([2, 2]);
    tf.dispose([...Object.values(s2.updates), ...Object.values(s2.state.trace)]);
  });

  it('throws StateError for a missing slot and ShapeError for a wrong one, leaking nothing', async () => {
    const t = scaleByMomentum({decay: 0.5});
    const state = t.init({'a/kernel': tf.zeros([2])});
    const missing = {'b/kernel': tf.ones([2])};
    expect(() => t.update(missing, state)).toThrow(StateError);
    expect(() => t.update(missing, state)).toThrow(/no trace slot for variable 'b\/kernel' \(the state has \[a\/kernel\]\)/);
    const wrong = {'a/kernel': tf.ones([3])};
    expect(() => t.update(wrong, state)).toThrow(ShapeError);
    await expectNoNewTensors(() => t.update(wrong, state));
    expect(() => t.update(missing, {} as never)).toThrow(/state.trace must be slot tensors/);
    tf.dispose([missing['b/kernel'], wrong['a/kernel'], ...Object.values(state.trace)]);
  });

  it('validates its options', () => {
    expect(() => scaleByMomentum({decay: 1.5})).toThrow(ConfigError);
    expect(() => scaleByMomentum({decay: 1})).not.toThrow();
    expect(() => scaleByMomentum({} as never)).toThrow(/decay must be a finite number in \[0, 1\]; got undefined/);
    expect(() => scaleByMomentum({decay: 0.9, nesterov: 1} as never)).toThrow(/nesterov must be true or false/);
  });
});

describe('scaleByMomentum vs tf.train.momentum: where the learning rate enters', () => {
  // tfjs keeps a = μ·a + g and adds -lr·a (trace, then rate: optax' order);
  // Keras (sgd) keeps v = μ·v - lr·g and adds v (rate, then trace). The two
  // agree for a constant rate (sgd.test.ts) and differ once it changes.
  const rates = [0.1, 0.05, 0.2, 0.02, 0.1, 0.01];
  const schedule = withSpec({id: 'test/steps', config: {}}, (step: number) => rates[step]!);

  function run(make: () => GradientTransform): number[] {
    const w = {w: tf.tidy(() => tf.variable(tf.tensor1d([1, -1, 0.5])))};
    const opt = new StatefulOptimizer(make());
    rates.forEach((_, s) => {
      const g = {w: tf.tensor1d(G[s % G.length]!)};
      opt.applyGradients(g, w);
      g.w.dispose();
    });
    const out = Array.from(w.w.dataSync());
    opt.dispose();
    w.w.dispose();
    return out;
  }

  it('tfjs with a changing rate is chain(scaleByMomentum, scaleByLearningRate), not sgd', () => {
    const theirs = tf.tidy(() => tf.variable(tf.tensor1d([1, -1, 0.5])));
    const ref = tf.train.momentum(rates[0]!, 0.9);
    rates.forEach((lr, s) => {
      ref.setLearningRate(lr);
      const g = tf.tensor1d(G[s % G.length]!);
      (ref as tf.Optimizer).applyGradients({[theirs.name]: g});
      g.dispose();
    });
    const tfjs = Array.from(theirs.dataSync());
    ref.dispose();
    theirs.dispose();
    const optaxOrder = run(() => chain(scaleByMomentum({decay: 0.9}), scaleByLearningRate(schedule)));
    const kerasOrder = run(() => sgd({learningRate: schedule, momentum: 0.9}));
    tfjs.forEach((x, k) => expect(x).toBeCloseTo(optaxOrder[k]!, 5));
    expect(Math.max(...tfjs.map((x, k) => Math.abs(x - kerasOrder[k]!)))).toBeGreaterThan(0.05);
  });
});
