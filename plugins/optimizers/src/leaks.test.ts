// Every transform and alias, driven for many steps: the tensor count after
// each step equals the count after the first (slots are made once).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, withSpec, type GradientTransform, type StateTree} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {gradsTf, makeVariables} from '../test/fixtures';
import {adadelta} from './adadelta';
import {adagrad} from './adagrad';
import {adam} from './adam';
import {adamax} from './adamax';
import {chain} from './chain';
import {identity} from './identity';
import {lion} from './lion';
import {nadam} from './nadam';
import {rmsprop} from './rmsprop';
import {scale} from './scale';
import {scaleByAdadelta} from './scale-by-adadelta';
import {scaleByAdagrad} from './scale-by-adagrad';
import {scaleByAdam} from './scale-by-adam';
import {scaleByAdamax} from './scale-by-adamax';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByLion} from './scale-by-lion';
import {scaleByNadam} from './scale-by-nadam';
import {sgd} from './sgd';
import {scaleByMomentum} from './scale-by-momentum';
import {scaleByRms} from './scale-by-rms';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const schedule = withSpec({id: 'test/decay', config: {}}, (s: number) => 0.01 * 0.99 ** s);

const cases: [string, () => GradientTransform][] = [
  ['sgd', () => sgd()],
  ['sgd momentum', () => sgd({momentum: 0.9})],
  ['sgd nesterov + schedule', () => sgd({momentum: 0.9, nesterov: true, learningRate: schedule})],
  ['adam', () => adam()],
  ['adam + schedule', () => adam({learningRate: schedule})],
  ['chain(scale, identity)', () => chain(scale(-0.01), identity())],
  ['empty chain', () => chain()],
  ['scaleByAdam', () => chain(scaleByAdam(), scaleByMomentum({decay: 0.5}), scaleByLearningRate(1e-3))],
  ['rmsprop', () => rmsprop()],
  ['rmsprop centered + momentum + schedule', () => rmsprop({centered: true, momentum: 0.9, learningRate: schedule})],
  ['adagrad', () => adagrad()],
  ['adadelta + schedule', () => adadelta({learningRate: schedule})],
  [
    'scaleByRms, scaleByAdagrad, scaleByAdadelta',
    () => chain(scaleByRms({centered: true}), scaleByAdagrad(), scaleByAdadelta(), scaleByLearningRate(1e-3)),
  ],
  ['adam amsgrad', () => adam({amsgrad: true})],
  ['adamax + schedule', () => adamax({learningRate: schedule})],
  ['nadam', () => nadam()],
  ['lion', () => lion()],
  ['scaleByAdamax, scaleByNadam, scaleByLion', () => chain(scaleByAdamax(), scaleByNadam(), scaleByLion(), scaleByLearningRate(1e-3))],
];

describe.each(cases)('%s', (_, make) => {
  it('leaks nothing over 50 steps of StatefulOptimizer', async () => {
    const start = tf.memory().numTensors;
    const vars = makeVariables();
    const opt = new StatefulOptimizer(make());
    const counts = await expectNoTensorLeaks(
      () => {
        const g = gradsTf(vars);
        opt.applyGradients(g, vars);
        tf.dispose(Object.values(g));
      },
      {times: 50},
    );
    expect(counts.after).toHaveLength(50);
    opt.dispose();
    tf.dispose(Object.values(vars));
    expect(tf.memory().numTensors).toBe(start);
  });

  it('update outside tf.tidy leaves only what it returns', async () => {
    const start = tf.memory().numTensors;
    const vars = makeVariables();
    const t = make();
    const state = t.init(vars);
    const g = gradsTf(vars);
    // Returned updates and state are counted as intended; intermediates must be gone.
    let first: ReturnType<typeof t.update> | undefined;
    await expectNoNewTensors(() => (first = t.update(g, state)));
    // And the caller can free the old state and the gradients afterwards.
    const before = tf.memory().numTensors;
    const r = t.update(g, state);
    const fresh = tf.memory().numTensors - before;
    const tensors = (tree: StateTree): tf.Tensor[] =>
      tree instanceof tf.Tensor ? [tree] : typeof tree === 'number' ? [] : Object.values(tree).flatMap((c) => tensors(c as StateTree));
    expect(fresh).toBe(Object.keys(r.updates).length + tensors(r.state).length);
    tf.dispose([...Object.values(r.updates), ...tensors(r.state), ...tensors(state), ...Object.values(g), ...Object.values(vars)]);
    tf.dispose([...Object.values(first!.updates), ...tensors(first!.state)]);
    expect(tf.memory().numTensors).toBe(start);
  });
});
