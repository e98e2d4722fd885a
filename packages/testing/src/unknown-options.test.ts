import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, type Optimizer, type Plugin} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
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

/** Every export that takes an options object: a call with `options`, valid options to add the typo to, and one option it reads. */
const takesOptions: Record<string, readonly [(options: object) => unknown, object, string]> = {
  describeOptimizer: [(options) => api.describeOptimizer('x', factory, options as never), cases, 'rosenbrock'],
  expectNoTensorLeaks: [(options) => api.expectNoTensorLeaks(() => undefined, options), {}, 'times'],
  kernelCoverageCases: [(options) => api.kernelCoverageCases(options as never), {layers: {}, losses: {}, optimizers: {}}, 'layers'],
};

/** Exports without an options object. */
const noOptions = [
  'callContext',
  'catchError',
  'expectUnknownOptionRefused',
  'misspell',
  'catchErrorAsync',
  'describeNamespaces',
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
];

/** A misspelling one edit away from `key`. */
const typo = (key: string) => `${key}${key.at(-1)}`;

async function expectRefused(run: () => unknown, who: string, key: string) {
  const before = tf.memory().numTensors;
  const error = await api.catchErrorAsync(async () => run());
  expect(tf.memory().numTensors).toBe(before);
  expect(ConfigError.is(error)).toBe(true);
  expect(error.message).toContain(`${who} does not know the option '${typo(key)}' (did you mean '${key}'?)`);
}

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [call, valid, key]) => {
    await expectRefused(() => call({...valid, [typo(key)]: 1}), who, key);
  });

  it.each([
    ['badConfigs', {badConfigs: {[typo('zeroEpsilon')]: {epsilon: 0}}}, 'zeroEpsilon'],
    ['quadratic', {quadratic: {[typo('threshold')]: 1e-2}}, 'threshold'],
    ['rosenbrock', {rosenbrock: {[typo('lossFactor')]: 10}}, 'lossFactor'],
  ])('describeOptimizer refuses a misspelled key in cases.%s', async (part, extra, key) => {
    await expectRefused(() => api.describeOptimizer('x', factory, {...cases, ...extra} as never), `describeOptimizer cases.${part}`, key);
  });
});
