import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, StateError, StatefulOptimizer, tensorsIn, type NamedTensors} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {copy, fixedGrad64, fixedGrads, initialValues, makeVariables, maxRelDiff, read, SHAPES, type Arrays} from '../test/fixtures';
import {chain} from './chain';
import {ema} from './ema';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

/** SGD (lr 0.1) then Keras' EMA in float64; returns the variables after each step and the final average. */
function reference(steps: number, momentum: number, frequency?: number, accumulationSteps = 1) {
  const params = copy(initialValues());
  const average: Arrays = Object.fromEntries(NAMES.map((n) => [n, new Float64Array(params[n]!.length)]));
  const after: Arrays[] = [];
  for (let k = 0; k < steps; k++) {
    const iteration = Math.floor(k / accumulationSteps);
    const m = iteration === 0 ? 0 : momentum;
    for (const n of NAMES) {
      const g = fixedGrad64(k, n);
      const p = params[n]!;
      const avg = average[n]!;
      for (let i = 0; i < p.length; i++) {
        p[i] = p[i]! - 0.1 * g[i]!;
        avg[i] = m * avg[i]! + (1 - m) * p[i]!;
      }
      if (frequency !== undefined && (iteration + 1) % frequency === 0) p.set(avg);
    }
    after.push(copy(params));
  }
  return {after, average};
}

function ours(steps: number, options: Parameters<typeof ema>[0]) {
  const vars = makeVariables();
  const opt = new StatefulOptimizer(chain(scaleByLearningRate(0.1), ema(options)));
  const after: Arrays[] = [];
  for (let k = 0; k < steps; k++) {
    const g = fixedGrads(k);
    opt.applyGradients(g, vars);
    tf.dispose(Object.values(g));
    after.push(read(vars));
  }
  opt.finalize(vars);
  const finalized = read(vars);
  opt.dispose();
  tf.dispose(Object.values(vars));
  return {after, finalized};
}

describe('ema', () => {
  it('averages the weights after each update, copying them at the first step; finalize writes the averages (float64 reference)', () => {
    const ref = reference(15, 0.9);
    const got = ours(15, {momentum: 0.9});
    got.after.forEach((a, k) => expect(maxRelDiff(a, ref.after[k]!)).toBeLessThan(1e-6));
    expect(maxRelDiff(got.finalized, ref.average)).toBeLessThan(1e-6);
    // The average lags the weights.
    expect(maxRelDiff(ref.average, ref.after[14]!)).toBeGreaterThan(1e-3);
  });

  it('overwrites the weights with their average every overwriteFrequency iterations', () => {
    const ref = reference(12, 0.5, 3);
    const got = ours(12, {momentum: 0.5, overwriteFrequency: 3});
    got.after.forEach((a, k) => expect(maxRelDiff(a, ref.after[k]!)).toBeLessThan(1e-6));
    expect(maxRelDiff(ref.after[5]!, reference(12, 0.5).after[5]!)).toBeGreaterThan(1e-3);
  });

  it('counts iterations as floor(step / accumulationSteps) for the first step and the overwrites', () => {
    const ref = reference(12, 0.5, 2, 3);
    const got = ours(12, {momentum: 0.5, overwriteFrequency: 2, accumulationSteps: 3});
    got.after.forEach((a, k) => expect(maxRelDiff(a, ref.after[k]!)).toBeLessThan(1e-6));
    expect(maxRelDiff(ref.after[11]!, reference(12, 0.5, 2).after[11]!)).toBeGreaterThan(1e-3);
  });

  it('keeps the average of a parameter without an update (a frozen one) and overwrites only updated ones', () => {
    const t = ema({momentum: 0.5, overwriteFrequency: 2});
    const p = {a: tf.tensor1d([4]), b: tf.tensor1d([8])};
    const s0 = t.init(p);
    expect(Array.from(s0.average.a!.dataSync())).toEqual([0]);
    const u = {a: tf.tensor1d([2])};
    const r1 = t.update(u, s0, p);
    expect(Array.from(r1.updates.a!.dataSync())).toEqual([2]);
    expect(Array.from(r1.state.average.b!.dataSync())).toEqual([0]);
    expect(r1.state.average.b).not.toBe(s0.average.b);
    const r2 = t.update(u, r1.state, p);
    // average a: 0.5 * 6 + 0.5 * 6 = 6; the update sets a to it: 6 - 4.
    expect(Array.from(r2.updates.a!.dataSync())).toEqual([2]);
    expect(Object.keys(r2.updates)).toEqual(['a']);
    tf.dispose([...Object.values(p), u.a, ...tensorsIn(s0), ...tensorsIn(r1 as never), ...tensorsIn(r2 as never)]);
  });

  it('finalize is undefined before the first step; chain forwards it, letting later children see the values', () => {
    const p = {w: tf.tensor1d([1, 2])};
    const t = ema();
    const s0 = t.init(p);
    expect(t.finalize!(s0, p)).toBeUndefined();
    const c = chain(scaleByLearningRate(1), ema({momentum: 0}));
    const cs = c.init(p);
    expect(c.finalize!(cs, p)).toBeUndefined();
    expect(() => c.finalize!([cs[0]!] as never, p)).toThrow(StateError);
    const g = {w: tf.tensor1d([1, 1])};
    const r = c.update(g, cs, p);
    const f = c.finalize!(r.state, p)! as NamedTensors;
    expect(Array.from(f.w!.dataSync())).toEqual([0, 1]);
    // Two EMAs in a chain: the second sees the first's values; the result merges both.
    const twice = chain(ema({momentum: 0}), ema({momentum: 0}));
    expect(chain(scaleByLearningRate(1)).finalize!([{count: 0}], p)).toBeUndefined();
    const ts = twice.init(p);
    const tr = twice.update(g, ts, p);
    const tf2 = twice.finalize!(tr.state, p)!;
    expect(Array.from(tf2.w!.dataSync())).toEqual([2, 3]);
    tf.dispose([
      p.w,
      g.w,
      f.w!,
      tf2.w!,
      ...tensorsIn(s0),
      ...tensorsIn(cs),
      ...tensorsIn(r as never),
      ...tensorsIn(ts),
      ...tensorsIn(tr as never),
    ]);
  });

  it('StatefulOptimizer.finalize assigns the final values and leaves the state alone', () => {
    const vars = {w: tf.variable(tf.tensor1d([1, 2]))};
    const opt = new StatefulOptimizer(chain(scaleByLearningRate(1), ema({momentum: 0.5})));
    opt.finalize(vars);
    expect(Array.from(vars.w.dataSync())).toEqual([1, 2]);
    for (let k = 0; k < 2; k++) {
      const g = {w: tf.tensor1d([1, 1])};
      opt.applyGradients(g, vars);
      g.w.dispose();
    }
    // w: 0,1 then -1,0; average: 0,1 then 0.5·(0,1) + 0.5·(-1,0) = -0.5, 0.5.
    const before = opt.getState();
    opt.finalize(vars);
    expect(Array.from(vars.w.dataSync())).toEqual([-0.5, 0.5]);
    expect(opt.step).toBe(2);
    const after = opt.getState();
    expect(tensorsIn(after.state).map((t) => t.arraySync())).toEqual(tensorsIn(before.state).map((t) => t.arraySync()));
    expect(JSON.stringify(after.state, (_k, v) => (v instanceof tf.Tensor ? 'tensor' : v))).toBe(
      JSON.stringify(before.state, (_k, v) => (v instanceof tf.Tensor ? 'tensor' : v)),
    );
    tf.dispose([...tensorsIn(before.state), ...tensorsIn(after.state)]);
    opt.dispose();
    vars.w.dispose();
  });

  it('StatefulOptimizer.finalize refuses a final value of another shape, assigning nothing and leaking nothing', async () => {
    const vars = {a: tf.variable(tf.tensor1d([1])), b: tf.variable(tf.tensor1d([2]))};
    const opt = new StatefulOptimizer({
      init: () => ({}),
      update: (g) => ({updates: Object.fromEntries(Object.entries(g).map(([n, t]) => [n, tf.clone(t)])) as NamedTensors, state: {}}),
      finalize: () => ({a: tf.tensor1d([5]), b: tf.tensor1d([5, 6])}),
    });
    opt.init(vars);
    expect(() => opt.finalize(vars)).toThrow(ShapeError);
    expect(() => opt.finalize(vars)).toThrow(/final value of 'b' has shape \[2\]; the variable has \[1\]/);
    expect(Array.from(vars.a.dataSync())).toEqual([1]);
    await expectNoNewTensors(() => opt.finalize(vars));
    opt.dispose();
    tf.dispose(Object.values(vars));
  });

  it('validates its options and parameters, and leaks nothing', async () => {
    expect(() => ema({momentum: 1.01})).toThrow(/ema: momentum must be a finite number in \[0, 1\]; got 1.01/);
    expect(() => ema({momentum: -0.5})).toThrow(ConfigError);
    expect(() => ema({overwriteFrequency: 0})).toThrow(/overwriteFrequency must be an integer >= 1; got 0/);
    expect(() => ema({accumulationSteps: 1.5})).toThrow(/accumulationSteps must be an integer >= 1/);
    expect(() => ema({decay: 0.9} as never)).toThrow(/does not know the option 'decay'/);
    const t = ema({overwriteFrequency: 2});
    const vars = makeVariables();
    expect(() => t.update(fixedGrads(0), t.init(vars) as never)).toThrow(/ema needs the parameters/);
    let state = t.init(vars);
    await expectNoTensorLeaks(
      () => {
        const g = fixedGrads(0);
        const r = t.update(g, state, vars);
        tf.dispose([...Object.values(g), ...Object.values(r.updates), ...tensorsIn(state)]);
        state = r.state;
      },
      {times: 5},
    );
    const g = fixedGrads(0);
    await expectNoNewTensors(() => t.update(g, state));
    await expectNoNewTensors(() => t.finalize!(state, vars));
    tf.dispose([...Object.values(g), ...Object.values(vars), ...tensorsIn(state)]);
  });
});
