/**
 * The hypermodel of the tuner benchmark (`tuner-parallel.ts`): what each worker thread loads.
 */
import {Sequential, accuracy, adam, createTrellis, dense, sparseCategoricalCrossentropy, type HyperParameters} from 'trellis';

/** Each worker's backend: wasm, as the main thread's. */
export async function setup(): Promise<void> {
  await createTrellis({backend: 'wasm'});
}

/** An MNIST MLP with a searched width and learning rate. */
export function buildModel(hp: HyperParameters) {
  const model = new Sequential([
    dense({units: hp.int('units', {min: 64, max: 256, step: 64}), activation: 'relu', inputShape: [784]}),
    dense({units: 10, activation: 'softmax'}),
  ]);
  const learningRate = hp.float('learning_rate', {min: 1e-4, max: 1e-2, sampling: 'log'});
  model.compile({optimizer: adam({learningRate}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  return model;
}
