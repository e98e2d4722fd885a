import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, StateError, withSpec, type GradientTransform, type Schedule, type StateTree} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {chain} from './chain';
import {identity} from './identity';
import {scale} from './scale';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function grads() {
  return {
    'dense/kernel': tf.tensor2d([
      [1, -2],
      [3, 0.5],
    ]),
    'dense/bias': tf.tensor1d([0.25, -4]),
  };
}

function values(t: Record<string, tf.Tensor>) {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v.dataSync())]));
}

describe('chain', () => {
  it('applies scale then identity: updates are factor * g, state is [{}, {}]', () => {
    const g = grads();
    const t = chain(scale(2), identity());
    const state = t.init(g);
    expect(state).toEqual([{}, {}]);
    const {updates, state: next} = t.update(g, state);
    expect(values(updates)).toEqual({'dense/kernel': [2, -4, 6, 1], 'dense/bias': [0.5, -8]});
    expect(next).toEqual([{}, {}]);
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('composes left to right', () => {
    const g = grads();
    const t = chain(scale(-0.5), scale(3), identity(), scale(0.1));
    const {updates} = t.update(g, t.init(g));
    const expected = values(g)['dense/bias']!.map((x) => x * -0.5 * 3 * 0.1);
    Array.from(updates['dense/bias']!.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('nests: the state of an inner chain is an array inside the array', () => {
    const g = grads();
    const t = chain(chain(identity(), scaleByLearningRate(0.1)), scale(2));
    const s0 = t.init(g);
    expect(s0).toEqual([[{}, {count: 0}], {}]);
    const {updates, state} = t.update(g, s0);
    expect(state).toEqual([[{}, {count: 1}], {}]);
    expect(Array.from(updates['dense/bias']!.dataSync())).toEqual([Math.fround(-0.05), Math.fround(0.8)]);
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('calls a schedule in the chain with 0, 1, 2, ... (the host count in its state)', () => {
    const calls: number[] = [];
    const lr: Schedule = withSpec({id: 'test/record', config: {}}, (step: number) => {
      calls.push(step);
      return 1 / (step + 1);
    });
    const g = grads();
    const t = chain(identity(), scaleByLearningRate(lr));
    let state: readonly StateTree[] = t.init(g);
    const firsts: number[] = [];
    for (let s = 0; s < 4; s++) {
      const result = t.update(g, state);
      firsts.push(result.updates['dense/bias']!.dataSync()[0]!);
      tf.dispose(Object.values(result.updates));
      state = result.state;
    }
    expect(calls).toEqual([0, 1, 2, 3]);
    expect(state).toEqual([{}, {count: 4}]);
    expect(firsts).toEqual([-0.25, -0.125, Math.fround(-0.25 / 3), -0.0625]);
    tf.dispose(Object.values(g));
  });

  it('passes params and extras to every child', () => {
    const seen: unknown[] = [];
    const spy: GradientTransform = {
      init: () => ({}),
      update: (g, state, params, extras) => {
        seen.push(params, extras);
        return {updates: Object.fromEntries(Object.entries(g).map(([k, v]) => [k, tf.clone(v)])), state};
      },
    };
    const g = grads();
    const extras = {loss: tf.scalar(1)};
    const {updates} = chain(spy, spy).update(g, [{}, {}], g, extras);
    expect(seen).toEqual([g, extras, g, extras]);
    tf.dispose([...Object.values(g), ...Object.values(updates), extras.loss]);
  });

  it('with no transforms returns clones the caller may dispose', () => {
    const g = grads();
    const t = chain();
    const {updates, state} = t.update(g, t.init(g));
    expect(state).toEqual([]);
    expect(updates['dense/bias']).not.toBe(g['dense/bias']);
    tf.dispose(Object.values(updates));
    expect(Array.from(g['dense/bias']!.dataSync())).toEqual([0.25, -4]);
    tf.dispose(Object.values(g));
  });

  it('throws a StateError on state of the wrong length or kind, leaking nothing', async () => {
    const g = grads();
    const t = chain(scale(2), identity());
    expect(() => t.update(g, [{}])).toThrow(StateError);
    expect(() => t.update(g, [{}])).toThrow(/chain of 2 transforms \(an array of 2 child states\); got an array of 1/);
    expect(() => t.update(g, {} as never)).toThrow(StateError);
    await expectNoNewTensors(() => t.update(g, [{}, {}, {}]));
    // A child's own check fires inside the chain's tidy: still no leak.
    const withLr = chain(scale(2), scaleByLearningRate(0.1));
    expect(() => withLr.update(g, [{}, {count: -1}])).toThrow(/state.count must be an integer >= 0/);
    await expectNoNewTensors(() => withLr.update(g, [{}, {count: -1}]));
    tf.dispose(Object.values(g));
  });

  it('rejects arguments that are not transforms', () => {
    expect(() => chain(scale(1), {init: () => ({})} as never)).toThrow(ConfigError);
    expect(() => chain(scale(1), 3 as never)).toThrow(/argument 2 must be a gradient transform/);
  });
});

describe('identity and scale', () => {
  it('identity returns equal values in new tensors', () => {
    const g = grads();
    const {updates} = identity().update(g, {});
    expect(values(updates)).toEqual(values(g));
    expect(updates['dense/kernel']).not.toBe(g['dense/kernel']);
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('scale multiplies and validates its factor', () => {
    const g = grads();
    const {updates} = scale(-3).update(g, {});
    expect(values(updates)['dense/bias']).toEqual([-0.75, 12]);
    expect(() => scale(Number.NaN)).toThrow(ConfigError);
    expect(() => scale('2' as never)).toThrow(/factor must be a finite number; got '2' \(string\)/);
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('rejects gradients that are not named tensors', () => {
    expect(() => scale(1).update([tf.scalar(1)] as never, {})).toThrow(ConfigError);
    expect(() => identity().update({w: [1, 2]} as never, {})).toThrow(/gradient 'w' must be a tensor; got an array of length 2/);
  });
});
