// Drives a Trellis optimizer and a float64 Keras formula (test/keras64.ts)
// side by side on the fixture model, and checks what every named optimizer
// must do: frozen variables keep their slots, specs round-trip, no leaks.
import * as tf from '@tensorflow/tfjs-core';
import {
  StatefulOptimizer,
  createRegistry,
  tensorsIn,
  withSpec,
  type GradientTransform,
  type Optimizer,
  type Schedule,
  type StateTree,
} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {expect, it} from 'vitest';
import {
  copy,
  fixedGrad64,
  fixedGrads,
  grads64,
  gradsTf,
  initialValues,
  makeVariables,
  maxRelDiff,
  read,
  SHAPES,
  type Arrays,
} from './fixtures';
import {chain} from '../src/chain';
import {optimizersPlugin} from '../src/plugin';
import {scaleByLearningRate} from '../src/scale-by-learning-rate';
import {fixedTensors, trainOurs} from './train';

const NAMES = Object.keys(SHAPES);

/**
 * Runs `opt` and the float64 `step64` for `steps` updates, on gradients of
 * the fixture model (`'model'`, computed from each side's own parameters) or
 * on fixed gradients (`'fixed'`); returns the norm-wise relative error at the
 * end and how far the parameters moved.
 */
export function against64(
  opt: GradientTransform,
  step64: (params: Arrays, grads: Arrays) => void,
  steps: number,
  gradients: 'model' | 'fixed' = 'model',
): {error: number; moved: number} {
  const vars = makeVariables();
  const s = new StatefulOptimizer(opt);
  const ref = copy(initialValues());
  for (let i = 0; i < steps; i++) {
    const g = gradients === 'model' ? gradsTf(vars) : fixedGrads(i, NAMES);
    s.applyGradients(g, vars);
    tf.dispose(Object.values(g));
    step64(ref, gradients === 'model' ? grads64(ref) : Object.fromEntries(NAMES.map((n) => [n, fixedGrad64(i, n)])));
  }
  const ours = read(vars);
  s.dispose();
  tf.dispose(Object.values(vars));
  return {error: maxRelDiff(ours, ref), moved: maxRelDiff(ours, initialValues())};
}

/**
 * Trains every variable for 3 steps, then only the others for 3 more: the
 * frozen variable keeps its value and every slot keyed by its name
 * (compared by value), the others keep training.
 */
export function expectFrozenKeepsSlots(make: () => Optimizer, frozen = 'scale/gamma'): void {
  const vars = makeVariables();
  const s = new StatefulOptimizer(make());
  const step = (names: readonly string[]) => {
    const g = gradsTf(vars);
    const picked = Object.fromEntries(names.map((n) => [n, g[n]!]));
    s.applyGradients(picked, vars);
    tf.dispose(Object.values(g));
  };
  for (let i = 0; i < 3; i++) step(NAMES);
  const before = s.getState();
  const frozenValue = vars[frozen]!.arraySync();
  const others = NAMES.filter((n) => n !== frozen);
  const othersBefore = others.map((n) => vars[n]!.arraySync());
  for (let i = 0; i < 3; i++) step(others);
  const after = s.getState();
  expect(vars[frozen]!.arraySync()).toEqual(frozenValue);
  expect(others.map((n) => vars[n]!.arraySync())).not.toEqual(othersBefore);
  const slotsOf = (tree: StateTree): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const walk = (node: StateTree, path: string) => {
      if (node instanceof tf.Tensor || typeof node === 'number' || node === null) return;
      for (const [key, child] of Object.entries(node)) {
        if (key === frozen && child instanceof tf.Tensor) out[`${path}.${key}`] = child.arraySync();
        else walk(child as StateTree, `${path}.${key}`);
      }
    };
    walk(tree, 'state');
    return out;
  };
  const frozenSlots = slotsOf(before.state);
  expect(Object.keys(frozenSlots).length).toBeGreaterThan(0);
  expect(slotsOf(after.state)).toEqual(frozenSlots);
  tf.dispose([...tensorsIn(before.state), ...tensorsIn(after.state)]);
  s.dispose();
  tf.dispose(Object.values(vars));
}

/**
 * One step of `opt` with fixed gradients for every variable, then one without
 * `frozen`: for each `[index, key]` of `slots` (the slot `key` of the state
 * list's element `index`), the values of `frozen`'s slot stay and those of
 * `moving`'s change. Frees every tensor.
 */
export function expectFrozenKeepsNamedSlots(
  opt: Optimizer,
  frozen: string,
  moving: string,
  slots: readonly (readonly [index: number, key: string])[],
): void {
  const vars = makeVariables();
  const s = new StatefulOptimizer(opt);
  const all = fixedTensors()(0);
  s.applyGradients(all, vars);
  const before = s.getState();
  const some = fixedTensors()(1);
  const kept = {...some};
  delete kept[frozen];
  s.applyGradients(kept, vars);
  const after = s.getState();
  const slot = (state: StateTree, index: number, key: string, name: string) =>
    Array.from((state as readonly Record<string, Record<string, tf.Tensor>>[])[index]![key]![name]!.dataSync());
  for (const [index, key] of slots) {
    expect(slot(after.state, index, key, frozen)).toEqual(slot(before.state, index, key, frozen));
    expect(slot(after.state, index, key, moving)).not.toEqual(slot(before.state, index, key, moving));
  }
  s.dispose();
  tf.dispose([
    ...Object.values(vars),
    ...Object.values(all),
    ...Object.values(some),
    ...tensorsIn(before.state),
    ...tensorsIn(after.state),
  ]);
}

/**
 * One step of `opt` on the fixture variables with fixed gradients; `check`
 * gets the state (`getState().state`), then every tensor is disposed.
 */
export function checkStateAfterOneStep(opt: Optimizer, check: (state: StateTree) => void): void {
  const vars = makeVariables();
  const s = new StatefulOptimizer(opt);
  const g = fixedGrads(0, NAMES);
  s.applyGradients(g, vars);
  const {state} = s.getState();
  try {
    check(state);
  } finally {
    tf.dispose([...Object.values(g), ...tensorsIn(state), ...Object.values(vars)]);
    s.dispose();
  }
}

/** The spec survives JSON and the registry, and the rebuilt optimizer trains identically. */
export function expectRoundTrip(opt: Optimizer): void {
  const registry = createRegistry(optimizersPlugin);
  const json = JSON.parse(JSON.stringify(opt.spec));
  const rebuilt = registry.resolve('optimizer', json);
  expect(rebuilt.spec).toEqual(opt.spec);

  expect(trainOurs(rebuilt, 5)).toEqual(trainOurs(opt, 5));
}

/** 30 steps of StatefulOptimizer leave the tensor count unchanged after the first. */
export async function expectNoLeaks(make: () => Optimizer): Promise<void> {
  const start = tf.memory().numTensors;
  const vars = makeVariables();
  const s = new StatefulOptimizer(make());
  await expectNoTensorLeaks(
    () => {
      const g = gradsTf(vars);
      s.applyGradients(g, vars);
      tf.dispose(Object.values(g));
    },
    {times: 30},
  );
  s.dispose();
  tf.dispose(Object.values(vars));
  expect(tf.memory().numTensors).toBe(start);
}

/** The `it`s of a named optimizer's slots and tensors: a frozen variable keeps its slots (`make({learningRate: 0.01})`), `make()` leaks nothing. */
export function itKeepsFrozenSlotsAndLeaksNothing(make: (options?: {learningRate?: number}) => Optimizer): void {
  it('a frozen variable keeps its slots', () => expectFrozenKeepsSlots(() => make({learningRate: 0.01})));
  it('leaks nothing', () => expectNoLeaks(() => make()));
}

/** The betas and epsilon of an Adam-family optimizer and of its float64 Keras formula. */
interface MomentOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * The `it`s comparing an Adam-family optimizer with its float64 Keras formula:
 * 30 steps of the model with the defaults (`make({learningRate: 0.01})` moves
 * the parameters by more than `moved`, error below 2e-6), and 40 fixed-gradient
 * steps with the schedule `0.05 / (1 + 0.1 · step)`, betas 0.8 and 0.99 and
 * epsilon 0.01 (error below 1e-6).
 */
export function itMatchesKeras64WithDefaultsAndSchedule(
  make: (options: {learningRate: number | Schedule} & Partial<MomentOptions>) => GradientTransform,
  make64: (options: {lr: (step: number) => number} & MomentOptions) => (params: Arrays, grads: Arrays) => void,
  moved: number,
): void {
  it('matches over 30 steps of the model with the defaults', () => {
    const result = against64(make({learningRate: 0.01}), make64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}), 30);
    expect(result.moved).toBeGreaterThan(moved);
    expect(result.error).toBeLessThan(2e-6);
  });

  it('matches with a scheduled lr, other betas and a large epsilon (fixed gradients, 40 steps)', () => {
    const decay = (step: number) => 0.05 / (1 + 0.1 * step);
    const {error} = against64(
      make({learningRate: withSpec({id: 'test/inverse', config: {}}, decay), beta1: 0.8, beta2: 0.99, epsilon: 0.01}),
      make64({lr: decay, beta1: 0.8, beta2: 0.99, epsilon: 0.01}),
      40,
      'fixed',
    );
    expect(error).toBeLessThan(1e-6);
  });
}

/**
 * The `it` of a gradient transform chained with a constant learning rate:
 * `chain(transform, scaleByLearningRate(learningRate))` follows the float64
 * Keras `step64` over 30 fixed-gradient steps, moving the parameters by more
 * than 0.1 with an error below `tolerance`. `kerasName` names the Keras optimizer.
 */
export function itFollowsKeras64WhenChained(
  kerasName: string,
  transform: GradientTransform,
  learningRate: number,
  step64: (params: Arrays, grads: Arrays) => void,
  tolerance: number,
): void {
  it(`chained with a learning rate follows a float64 Keras ${kerasName} for 30 steps`, () => {
    const {error, moved} = against64(chain(transform, scaleByLearningRate(learningRate)), step64, 30, 'fixed');
    expect(moved).toBeGreaterThan(0.1);
    expect(error).toBeLessThan(tolerance);
  });
}
