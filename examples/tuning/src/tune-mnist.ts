/**
 * The lectures' search, with Hyperband: learning rate log-uniform in
 * [1e-4, 1e-1], 1–3 hidden layers of 32–512 units (step 32), dropout 0–0.5,
 * on an MNIST subset.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {ExampleRunOptions} from '@trellis/example-kit';
import {
  Sequential,
  accuracy,
  adam,
  createTrellis,
  dense,
  dropout,
  loadMnist,
  sparseCategoricalCrossentropy,
  tuner,
  type HyperParameters,
  type Trial,
} from 'trellis';

/** Options of {@link tuneMnist}. Defaults: backend `'wasm'`, seed 1 (the seed of the Hyperband search). */
export type TuneOptions = ExampleRunOptions & {
  /** Training images (the first N; default 6000), 20% of them held out for validation. */
  readonly samples?: number;
  /** Hyperband's `maxEpochs` (default 9) and `factor` (default 3). */
  readonly maxEpochs?: number;
  readonly factor?: number;
  /** Where the project folder goes (default: memory only). */
  readonly directory?: string;
  /** Called after every trial. */
  readonly onTrial?: (trial: Trial) => void;
};

/** The model of one trial: hidden layers in conditional scopes, so each layer's units exist only when the layer does. */
export function buildModel(hp: HyperParameters) {
  hp.int('layers', {min: 1, max: 3});
  const model = new Sequential();
  for (let i = 0; i < 3; i++) {
    // Layer i exists for layers in (i + 1 .. 3); its units are declared only then.
    const allowed = [1, 2, 3].filter((n) => n > i);
    hp.conditionalScope('layers', allowed, () => {
      const units = hp.int(`units_${i}`, {min: 32, max: 512, step: 32});
      model.add(dense({units, activation: 'relu', ...(i === 0 ? {inputShape: [784]} : {})}));
    });
  }
  model.add(dropout({rate: hp.float('dropout', {min: 0, max: 0.5})}));
  model.add(dense({units: 10, activation: 'softmax'}));
  const learningRate = hp.float('learning_rate', {min: 1e-4, max: 1e-1, sampling: 'log'});
  model.compile({optimizer: adam({learningRate}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  return model;
}

/** Runs the search and returns the tuner (its trials, summary and best models). */
export async function tuneMnist(options: TuneOptions = {}) {
  await createTrellis({backend: options.backend ?? 'wasm'});
  const {train} = await loadMnist({split: 'train', samples: options.samples ?? 6000});
  const search = tuner.hyperband({
    buildModel,
    objective: 'val_accuracy',
    maxEpochs: options.maxEpochs ?? 9,
    factor: options.factor ?? 3,
    seed: options.seed ?? 1,
    ...(options.directory ? {directory: options.directory, projectName: 'mnist'} : {}),
    ...(options.onTrial ? {onTrialEnd: options.onTrial} : {}),
    verbose: 0,
  });
  try {
    await search.search(train.x, train.y, {batchSize: 128, validationSplit: 0.2});
  } finally {
    tf.dispose([train.x, train.y]);
  }
  return search;
}
