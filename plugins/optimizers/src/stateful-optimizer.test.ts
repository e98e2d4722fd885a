// The transforms of this package driven by @trellis/core's StatefulOptimizer:
// state keyed by variable name, save/restore, and frozen variables.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StateError, StatefulOptimizer, type GradientTransform, type OptimizerState, type StateTree} from '@trellis/core';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {fixedGrads, gradsTf, makeVariables, read, SHAPES} from '../test/fixtures';
import {adam} from './adam';
import {sgd} from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const owned: {dispose(): void}[] = [];
afterEach(() => {
  for (const o of owned.splice(0)) o.dispose();
});

function track<T extends Record<string, tf.Variable>>(vars: T): T {
  owned.push(...Object.values(vars));
  return vars;
}

function stateful(opt: GradientTransform): StatefulOptimizer {
  const s = new StatefulOptimizer(opt);
  owned.push(s);
  return s;
}

function train(opt: StatefulOptimizer, vars: Record<string, tf.Variable>, steps: number, from = 0, fixed = false): void {
  for (let s = from; s < from + steps; s++) {
    const g = fixed ? fixedGrads(s, Object.keys(vars)) : gradsTf(vars);
    opt.applyGradients(g, vars);
    tf.dispose(Object.values(g));
  }
}

/** Maps every named record of slot tensors in a state tree through `edit`. */
function editSlots(tree: StateTree, edit: (slots: Record<string, tf.Tensor>) => Record<string, tf.Tensor>): StateTree {
  if (typeof tree === 'number' || tree instanceof tf.Tensor) return tree;
  if (Array.isArray(tree)) return tree.map((c) => editSlots(c as StateTree, edit));
  const entries = Object.entries(tree as Record<string, StateTree>);
  if (entries.length > 0 && entries.every(([, v]) => v instanceof tf.Tensor)) {
    return edit(Object.fromEntries(entries) as Record<string, tf.Tensor>);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, editSlots(v, edit)]));
}

function disposeState(state: OptimizerState): void {
  const all: tf.Tensor[] = [];
  editSlots(state.state, (slots) => {
    all.push(...Object.values(slots));
    return slots;
  });
  tf.dispose(all);
}

const optimizers = {
  adam: () => adam({learningRate: 0.02}),
  'sgd momentum': () => sgd({learningRate: 0.05, momentum: 0.9}),
  'sgd nesterov': () => sgd({learningRate: 0.05, momentum: 0.9, nesterov: true}),
};

describe('state keyed by variable name', () => {
  it('adam: getState() has mu / nu slots under the variable names', () => {
    const vars = track(makeVariables());
    const opt = stateful(adam());
    train(opt, vars, 3);
    const saved = opt.getState();
    const [moments, lr] = saved.state as [Record<string, StateTree>, Record<string, StateTree>];
    expect(saved.step).toBe(3);
    expect(lr).toEqual({count: 3});
    expect(moments.count).toBe(3);
    const mu = moments.mu as Record<string, tf.Tensor>;
    expect(Object.keys(mu).sort()).toEqual(['dense/bias', 'dense/kernel', 'scale/gamma']);
    expect(mu['dense/kernel']!.shape).toEqual([3, 2]);
    expect(Object.keys(moments.nu as object).sort()).toEqual(['dense/bias', 'dense/kernel', 'scale/gamma']);
    disposeState(saved);
  });

  it('sgd with momentum: getState() has trace slots under the variable names', () => {
    const vars = track(makeVariables());
    const opt = stateful(sgd({momentum: 0.9}));
    train(opt, vars, 2);
    const saved = opt.getState();
    const [lr, momentum] = saved.state as [Record<string, StateTree>, {trace: Record<string, tf.Tensor>}];
    expect(lr).toEqual({count: 2});
    expect(Object.keys(momentum.trace).sort()).toEqual(['dense/bias', 'dense/kernel', 'scale/gamma']);
    disposeState(saved);
  });
});

describe.each(Object.entries(optimizers))('%s: setState', (_, make) => {
  it('round-trips: training continues bit-identically', () => {
    const a = track(makeVariables());
    const optA = stateful(make());
    train(optA, a, 10);
    const saved = optA.getState();
    const paramsAt10 = read(a);
    train(optA, a, 10);

    const b = track(makeVariables(paramsAt10));
    const optB = stateful(make());
    optB.init(b);
    optB.setState(saved);
    expect(optB.step).toBe(10);
    train(optB, b, 10);
    expect(read(b)).toEqual(read(a));
    disposeState(saved);
  });

  it('refuses a missing, renamed or reshaped slot with a StateError and changes nothing', () => {
    const vars = track(makeVariables());
    const opt = stateful(make());
    train(opt, vars, 4);
    const saved = opt.getState();
    const before = tf.memory().numTensors;

    const renamed = editSlots(saved.state, (slots) => {
      const {'dense/bias': bias, ...rest} = slots;
      return {...rest, 'dense_1/bias': bias!};
    });
    const missing = editSlots(saved.state, (slots) => {
      const {'scale/gamma': _, ...rest} = slots;
      return rest;
    });
    const reshaped = editSlots(saved.state, (slots) => ({...slots, 'dense/kernel': tf.reshape(slots['dense/kernel']!, [2, 3])}));
    expect(() => opt.setState({step: 4, state: renamed})).toThrow(StateError);
    expect(() => opt.setState({step: 4, state: renamed})).toThrow(/missing 'dense\/bias'; unexpected 'dense_1\/bias'/);
    expect(() => opt.setState({step: 4, state: missing})).toThrow(/missing 'scale\/gamma'/);
    expect(() => opt.setState({step: 4, state: reshaped})).toThrow(/expected \[3, 2\] float32, got \[2, 3\] float32/);
    expect(() => opt.setState({step: 4, state: [saved.state]})).toThrow(StateError);

    // Nothing changed: same step, same slot values, no tensor leaked or freed.
    expect(opt.step).toBe(4);
    const after = opt.getState();
    const flat = (s: OptimizerState) => {
      const out: number[][] = [];
      editSlots(s.state, (slots) => {
        for (const k of Object.keys(slots).sort()) out.push(Array.from(slots[k]!.dataSync()));
        return slots;
      });
      return out;
    };
    expect(flat(after)).toEqual(flat(saved));
    disposeState(after);
    editSlots(reshaped, (slots) => {
      slots['dense/kernel']!.dispose();
      return slots;
    });
    expect(tf.memory().numTensors).toBe(before);
    disposeState(saved);
  });
});

describe.each(Object.entries(optimizers))('%s: frozen variables', (_, make) => {
  // Fixed gradients, so every variable's trajectory depends only on its own
  // gradients and slots; freezing 'dense/kernel' (the middle name in sorted
  // order) would shift 'scale/gamma' onto its slot if slots were positional.
  const all = Object.keys(SHAPES);
  const trainable = all.filter((n) => n !== 'dense/kernel');

  it('training fewer variables does not move the others off their slots', () => {
    const full = track(makeVariables());
    const optFull = stateful(make());
    train(optFull, full, 12, 0, true);

    const some = track(makeVariables());
    const subset = Object.fromEntries(trainable.map((n) => [n, some[n]!]));
    const optSome = stateful(make());
    optSome.init(subset);
    train(optSome, subset, 12, 0, true);

    const a = read(full);
    const b = read(some);
    for (const n of trainable) expect(b[n]).toEqual(a[n]);
    expect(b['dense/kernel']).not.toEqual(a['dense/kernel']);
  });

  it('state saved with all variables, minus the frozen one, continues the others exactly', () => {
    const full = track(makeVariables());
    const optFull = stateful(make());
    train(optFull, full, 6, 0, true);
    const saved = optFull.getState();
    const at6 = read(full);
    train(optFull, full, 6, 6, true);

    const some = track(makeVariables(at6));
    const subset = Object.fromEntries(trainable.map((n) => [n, some[n]!]));
    const optSome = stateful(make());
    optSome.init(subset);
    // Saved state with all three names does not fit two variables.
    expect(() => optSome.setState(saved)).toThrow(/unexpected 'dense\/kernel'/);
    const pruned = editSlots(saved.state, (slots) => {
      const {'dense/kernel': _, ...rest} = slots;
      return rest;
    });
    optSome.setState({step: saved.step, state: pruned});
    train(optSome, subset, 6, 6, true);
    const a = read(full);
    const b = read(some);
    for (const n of trainable) expect(b[n]).toEqual(a[n]);
    disposeState(saved);
  });
});

describe('a transform that returns a bad update', () => {
  it('is refused with a StateError and assigns nothing (no broadcasting of a wrong shape)', () => {
    const broadcasting: GradientTransform<StateTree> = {
      init: () => ({}),
      update: (grads) => ({updates: Object.fromEntries(Object.keys(grads).map((name) => [name, tf.ones([1])])), state: {}}),
    };
    const variables = makeVariables();
    const before = read(variables);
    const optimizer = new StatefulOptimizer(broadcasting);
    const grads = fixedGrads(0);
    expect(() => optimizer.applyGradients(grads, variables)).toThrow(StateError);
    expect(() => optimizer.applyGradients(grads, variables)).toThrow(
      /no update of shape \[2\] for 'dense\/bias'; got a tensor of shape \[1\]/,
    );
    expect(read(variables)).toEqual(before);
    tf.dispose([Object.values(grads), Object.values(variables)]);
    optimizer.dispose();
  });
});
