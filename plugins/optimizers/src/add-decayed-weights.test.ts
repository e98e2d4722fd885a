import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError} from '@trellis/core';
import {catchError, expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {adam64, copy, fixedGrad64, initialValues, maxRelDiff, SHAPES} from '../test/fixtures';
import {fixedTensors, train64, trainOurs} from '../test/train';
import {adam} from './adam';
import {addDecayedWeights} from './add-decayed-weights';
import {chain} from './chain';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const params = () => ({
  'dense/kernel': tf.tensor2d([
    [0.5, -1.5],
    [2, 0.25],
  ]),
  'dense/bias': tf.tensor1d([3, -0.75]),
});
const grads = () => ({
  'dense/kernel': tf.tensor2d([
    [0.1, 0.2],
    [-0.3, 0.4],
  ]),
  'dense/bias': tf.tensor1d([-1, 1e-3]),
});
const values = (t: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('addDecayedWeights', () => {
  it('adds weightDecay * param to every update (float64 reference)', () => {
    const p = params();
    const g = grads();
    const t = addDecayedWeights({weightDecay: 0.3});
    const {updates, state} = t.update(g, t.init(p), p);
    const got = values(updates);
    const pv = values(p);
    const gv = values(g);
    for (const name of Object.keys(gv)) {
      gv[name]!.forEach((x, k) => expect(got[name]![k]).toBeCloseTo(Math.fround(x) + 0.3 * Math.fround(pv[name]![k]!), 6));
    }
    expect(state).toEqual({});
    tf.dispose([...Object.values(p), ...Object.values(g), ...Object.values(updates)]);
  });

  it('skips the variables a mask excludes: names or substrings (Keras exclude_from_weight_decay), or a predicate', () => {
    const p = params();
    const g = grads();
    for (const mask of [['bias'], ['dense/bias'], (name: string) => name.endsWith('/kernel')]) {
      const {updates} = addDecayedWeights({weightDecay: 1, mask}).update(g, {}, p);
      expect(values(updates)['dense/bias']).toEqual(values(g)['dense/bias']);
      expect(values(updates)['dense/kernel']).not.toEqual(values(g)['dense/kernel']);
      expect(updates['dense/bias']).not.toBe(g['dense/bias']);
      tf.dispose(Object.values(updates));
    }
    tf.dispose([...Object.values(p), ...Object.values(g)]);
  });

  it('between Adam and the learning rate it is Keras Adam with weight_decay (constant rate)', () => {
    const wd = 0.05;
    const lr = 0.01;
    const ours = trainOurs(
      chain(scaleByAdam(), addDecayedWeights({weightDecay: wd}), scaleByLearningRate(lr)) as never,
      20,
      fixedTensors(),
    );
    const named = trainOurs(adam({learningRate: lr, weightDecay: wd}), 20, fixedTensors());
    const adamStep = adam64({lr: () => lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, kerasEpsilon: true});
    const ref = train64(
      (p, g) => {
        for (const v of Object.values(p)) for (let k = 0; k < v.length; k++) v[k] = v[k]! - v[k]! * wd * lr;
        adamStep(p, g);
      },
      20,
      fixedGrad64,
    );
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-6);
    expect(maxRelDiff(named, ref)).toBeLessThan(1e-6);
    expect(maxRelDiff(ref, copy(initialValues()))).toBeGreaterThan(1e-2);
    expect(Object.keys(ref)).toEqual(Object.keys(SHAPES));
  });

  it('throws typed errors and leaks nothing', async () => {
    expect(() => addDecayedWeights({weightDecay: -1})).toThrow(/addDecayedWeights: weightDecay must be a finite number >= 0; got -1/);
    expect(() => addDecayedWeights({weightDecay: 0.1, mask: [1] as never})).toThrow(ConfigError);
    expect(() => addDecayedWeights({weightDecay: 0.1, mask: 'bias' as never})).toThrow(/array of non-empty names or substrings to exclude/);
    expect(() => addDecayedWeights({weightDecay: 0.1, decay: 1} as never)).toThrow(/does not know the option 'decay'/);
    const p = params();
    const g = grads();
    expect(() => addDecayedWeights({weightDecay: 0.1}).update(g, {})).toThrow(/needs the parameters/);
    expect(() => addDecayedWeights({weightDecay: 0.1}).update(g, {}, {'dense/kernel': p['dense/kernel']})).toThrow(
      /no parameter 'dense\/bias'/,
    );
    const error = catchError(() => addDecayedWeights({weightDecay: 0.1}).update(g, {}, {...p, 'dense/bias': p['dense/kernel']}));
    expect(error).toBeInstanceOf(ShapeError);
    const badMask = addDecayedWeights({weightDecay: 0.1, mask: (() => 'yes') as never});
    expect(() => badMask.update(g, {}, p)).toThrow(/mask\('dense\/kernel'\) must return true \(decay\) or false/);
    await expectNoNewTensors(() => badMask.update(g, {}, p));
    await expectNoNewTensors(() => addDecayedWeights({weightDecay: 0.1}).update(g, {}, p));
    tf.dispose([...Object.values(p), ...Object.values(g)]);
  });
});
