import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {catchErrorAsync, expectNoNewTensors} from '@trellis/testing';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

let x: tf.Tensor;
let y: tf.Tensor;
beforeAll(async () => {
  await tf.setBackend('cpu');
  x = tf.ones([4, 2]);
  y = tf.tensor1d([0, 1, 0, 1], 'int32');
});
afterAll(() => tf.dispose([x, y]));

/** Every export that takes an options object: a call with `options`, valid options to add the typo to, and one option it reads. */
const takesOptions: Record<string, readonly [(options: object) => unknown, object, string]> = {
  balancedBatches: [(options) => api.balancedBatches(x, y, options as never), {batchSize: 2}, 'seed'],
  fromTensors: [(options) => api.fromTensors(x, y, options as never), {batchSize: 2}, 'shuffle'],
  loadCifar10: [(options) => api.loadCifar10(options as never), {path: '.'}, 'validationSplit'],
  loadCifar100: [(options) => api.loadCifar100(options as never), {path: '.'}, 'labelMode'],
  loadFashionMnist: [(options) => api.loadFashionMnist(options as never), {}, 'flatten'],
  loadMnist: [(options) => api.loadMnist(options as never), {}, 'validationSplit'],
  parseIdx: [(options) => api.parseIdx(new Uint8Array(9), options as never), {kind: 'labels'}, 'count'],
};

/** Exports without an options object. */
const noOptions = ['classWeightsFrom', 'data', 'fashionMnistClasses', 'trainValidationSplit'];

/** A misspelling one edit away from `key`. */
const typo = (key: string) => `${key}${key.at(-1)}`;

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [call, valid, key]) => {
    let error: Error | undefined;
    await expectNoNewTensors(async () => {
      error = await catchErrorAsync(async () => call({...valid, [typo(key)]: 1}));
    });
    expect(ConfigError.is(error)).toBe(true);
    expect(error!.message).toContain(`${who} does not know the option '${typo(key)}' (did you mean '${key}'?)`);
  });

  it('a Keras spelling is refused with the camelCase option (loadMnist({validation_split}))', async () => {
    const error = await catchErrorAsync(() => api.loadMnist({validation_split: 0.1} as never));
    expect(error.message).toContain("loadMnist does not know the option 'validation_split' (did you mean 'validationSplit'?)");
  });

  it('options that are not objects are refused', async () => {
    expect(() => api.fromTensors(x, y, 32 as never)).toThrow(
      /fromTensors expects an options object such as \{batchSize: \.\.\., shuffle: \.\.\.\}; got 32/,
    );
    expect(() => api.balancedBatches(x, y, null as never)).toThrow(ConfigError);
    expect(ConfigError.is(await catchErrorAsync(() => api.loadMnist('train' as never)))).toBe(true);
  });
});
