import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createRegistry} from '@trellis/core';
import {catchError, describeUnknownOptions, expectSpecConfigRefused} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import * as api from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Made = {readonly spec: {readonly id: string; readonly config: object}};

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [make: (options: never) => unknown, key: string]> = {
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

describeUnknownOptions(api, {takesOptions, noOptions}, () => {
  it('every registered optimizer refuses a misspelled own or common option in its spec config', async () => {
    const registry = createRegistry(api.optimizersPlugin);
    const ids = registry.ids('optimizer');
    expect(ids).toHaveLength(10);
    for (const id of ids) {
      const who = id.slice('trellis/'.length);
      const [make, key] = takesOptions[who]!;
      const {config} = (make(undefined as never) as Made).spec;
      await expectSpecConfigRefused(registry, 'optimizer', id, {who, key, config});
      await expectSpecConfigRefused(registry, 'optimizer', id, {who, key: 'clipNorm', config});
      const snake = catchError(() => registry.resolve('optimizer', {id, config: {...config, weight_decay: 0.01}}));
      expect(snake.message).toContain(`${who} does not know the option 'weight_decay' (did you mean 'weightDecay'?)`);
    }
  });
});
