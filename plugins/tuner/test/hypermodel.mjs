// The hypermodel module of the parallel and kill tests: what worker threads load (they cannot
// receive a function). Runs on the built packages.
import * as tf from '@tensorflow/tfjs-core';
import {callbacksPlugin} from '@trellis/callbacks';
import {Sequential, createRegistry, ensureGradients} from '@trellis/core';
import {dense, dropout, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';

/** Each worker's backend: cpu, the deterministic one. */
export async function setup() {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  ensureGradients();
}

/** Where the workers rebuild the fit callbacks from their specs (earlyStopping...). */
export const registry = createRegistry(callbacksPlugin);

/** A small MLP: units, dropout and learning rate searched. */
export function buildModel(hp) {
  const model = new Sequential([
    dense({units: hp.int('units', {min: 4, max: 32, step: 4}), activation: 'tanh', inputShape: [2]}),
    dropout({rate: hp.float('dropout', {min: 0, max: 0.3, step: 0.1})}),
    dense({units: 1}),
  ]);
  model.compile({optimizer: sgd({learningRate: hp.float('lr', {min: 1e-3, max: 0.3, sampling: 'log'})}), loss: meanSquaredError()});
  return model;
}
