import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createRegistry} from '@trellis/core';
import {catchError, expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Made = {readonly spec: {readonly id: string; readonly config: object}};

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [(options: never) => unknown, string]> = {
  adadelta: [api.adadelta, 'rho'],
  adagrad: [api.adagrad, 'initialAccumulatorValue'],
  adam: [api.adam, 'beta1'],
  adamax: [api.adamax, 'beta2'],
  adamw: [api.adamw, 'amsgrad'],
  addDecayedWeights: [api.addDecayedWeights, 'mask'],
  decoupledWeightDecay: [(options) => api.decoupledWeightDecay(api.identity(), options), 'weightDecay'],
  defineOptimizer: [api.defineOptimizer, 'learningRate'],
  ema: [api.ema, 'overwriteFrequency'],
  lamb: [api.lamb, 'epsilon'],
  lion: [api.lion, 'beta1'],
  nadam: [api.nadam, 'epsilon'],
  rmsprop: [api.rmsprop, 'momentum'],
  scaleByAdadelta: [api.scaleByAdadelta, 'rho'],
  scaleByAdagrad: [api.scaleByAdagrad, 'initialAccumulatorValue'],
  scaleByAdam: [api.scaleByAdam, 'epsilonAfterCorrection'],
  scaleByAdamax: [api.scaleByAdamax, 'beta1'],
  scaleByLion: [api.scaleByLion, 'beta2'],
  scaleByMomentum: [api.scaleByMomentum, 'nesterov'],
  scaleByNadam: [api.scaleByNadam, 'epsilon'],
  scaleByRms: [api.scaleByRms, 'centered'],
  sgd: [api.sgd, 'momentum'],
  slotTransform: [api.slotTransform, 'slots'],
};

/** Exports without an options object. */
const noOptions = [
  'TrellisTfjsOptimizer',
  'accumulateGradients',
  'chain',
  'clipByGlobalNorm',
  'clipByNorm',
  'clipByValue',
  'identity',
  'mapNamed',
  'optimizers',
  'optimizersPlugin',
  'scale',
  'scaleByLearningRate',
  'scaleByTrustRatio',
  'stateless',
  'toTfjsOptimizer',
];

/** A misspelling one edit away from `key`. */
const typo = misspell;

const expectRefused = expectUnknownOptionRefused;

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectRefused(() => make({[typo(key)]: 1} as never), who, key);
  });

  it('every registered optimizer refuses a misspelled own or common option in its spec config', async () => {
    const registry = createRegistry(api.optimizersPlugin);
    const ids = registry.ids('optimizer');
    expect(ids).toHaveLength(10);
    for (const id of ids) {
      const who = id.slice('trellis/'.length);
      const [make, key] = takesOptions[who]!;
      const {config} = (make(undefined as never) as Made).spec;
      await expectRefused(() => registry.resolve('optimizer', {id, config: {...config, [typo(key)]: 1}}), who, key);
      await expectRefused(() => registry.resolve('optimizer', {id, config: {...config, [typo('clipNorm')]: 1}}), who, 'clipNorm');
      const snake = catchError(() => registry.resolve('optimizer', {id, config: {...config, weight_decay: 0.01}}));
      expect(snake.message).toContain(`${who} does not know the option 'weight_decay' (did you mean 'weightDecay'?)`);
    }
  });
});
