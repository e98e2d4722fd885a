import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type {Optimizer, Plugin} from '@trellis/core';
import {beforeAll, it} from 'vitest';
import * as api from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `describeOptimizer` refuses its cases before declaring anything, so these calls never reach vitest's `describe`. */
const factory = (() => {
  throw new Error('not called');
}) as unknown as (options: object) => Optimizer;
const plugin: Plugin = {name: 'test', specVersion: 1, setup: () => undefined};
const cases = {options: {learningRate: 0.1}, plugin, badConfigs: {}};

api.describeUnknownOptions(
  api,
  {
    takesOptions: {
      describeBackendPlugin: [(options) => api.describeBackendPlugin('x', () => ({}) as never, options), {}, 'capabilities'],
      describeOptimizer: [(options) => api.describeOptimizer('x', factory, options), cases, 'rosenbrock'],
      // Refused before declaring anything, like describeOptimizer.
      describeUnknownOptions: [(options) => api.describeUnknownOptions({}, options), {takesOptions: {}, noOptions: []}, 'noOptions'],
      expectNoTensorLeaks: [(options) => api.expectNoTensorLeaks(() => undefined, options), {}, 'times'],
      kernelCoverageCases: [(options) => api.kernelCoverageCases(options), {layers: {}, losses: {}, optimizers: {}}, 'layers'],
    },
    noOptions: [
      'callContext',
      'catchError',
      'expectUnknownOptionRefused',
      'expectSpecConfigRefused',
      'misspell',
      'catchErrorAsync',
      'describeNamespaces',
      'describeWithoutPeerPackage',
      'countTensorsAcross',
      'createBuildContext',
      'expectNoNewTensors',
      'randomGenerator',
      'randomValues',
      'kernelsRunBy',
      'coverageIds',
      'coverageLayers',
      'describeWith',
      'nativeAddon',
      'specCases',
      'constantInitializer',
      'plainSgd',
      'tinyDense',
      'tinyMse',
    ],
  },
  () => {
    it.each([
      ['badConfigs', {badConfigs: {[api.misspell('zeroEpsilon')]: {epsilon: 0}}}, 'zeroEpsilon'],
      ['quadratic', {quadratic: {[api.misspell('threshold')]: 1e-2}}, 'threshold'],
      ['rosenbrock', {rosenbrock: {[api.misspell('lossFactor')]: 10}}, 'lossFactor'],
    ])('describeOptimizer refuses a misspelled key in cases.%s', async (part, extra, key) => {
      await api.expectUnknownOptionRefused(
        () => api.describeOptimizer('x', factory, {...cases, ...extra} as never),
        `describeOptimizer cases.${part}`,
        key,
      );
    });
  },
);
