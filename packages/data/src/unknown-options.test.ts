import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {catchErrorAsync, describeUnknownOptions} from '@trellis/testing';
import {afterAll, beforeAll, expect, it} from 'vitest';
import * as api from './index';

let x: tf.Tensor;
let y: tf.Tensor;

beforeAll(async () => {
  await tf.setBackend('cpu');
  x = tf.ones([4, 2]);
  y = tf.tensor1d([0, 1, 0, 1], 'int32');
});

afterAll(() => tf.dispose([x, y]));

describeUnknownOptions(
  api,
  {
    takesOptions: {
      balancedBatches: [(options) => api.balancedBatches(x, y, options), {batchSize: 2}, 'seed'],
      fromTensors: [(options) => api.fromTensors(x, y, options), {batchSize: 2}, 'shuffle'],
      loadCifar10: [api.loadCifar10, {path: '.'}, 'validationSplit'],
      loadCifar100: [api.loadCifar100, {path: '.'}, 'labelMode'],
      loadFashionMnist: [api.loadFashionMnist, {}, 'flatten'],
      loadMnist: [api.loadMnist, {}, 'validationSplit'],
      parseIdx: [(options) => api.parseIdx(new Uint8Array(9), options), {kind: 'labels'}, 'count'],
    },
    noOptions: ['classWeightsFrom', 'data', 'fashionMnistClasses', 'trainValidationSplit'],
  },
  () => {
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
  },
);
