/**
 * The setup every test file imports first (not exported): registers the
 * tfjs CPU backend and selects it before the file's tests run.
 * @module
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll} from 'vitest';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
