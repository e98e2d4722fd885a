/**
 * The comparison: the lecture's MLP (784-500-50-10, relu) trained on MNIST
 * from the same initial weights by each optimizer.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {ExampleTrainingOptions} from '@trellis/example-kit';
import {Sequential, accuracy, createTrellis, data, dense, loadMnist, setSeed, sparseCategoricalCrossentropy} from 'trellis';
import {contenders as defaultContenders, type Contender} from './contenders';

/**
 * Options of {@link compareOptimizers}. Defaults: backend `'wasm'`, 5 epochs
 * per optimizer, the first 10,000 MNIST training images (the last 10% of
 * them validate), seed 1 (the same initial weights and shuffling for every
 * optimizer).
 */
export type ComparisonOptions = ExampleTrainingOptions & {
  /** Batch size (default 32, Keras' default). */
  readonly batchSize?: number;
  /** The optimizers (default {@link defaultContenders}: SGD, SGD+momentum, RMSprop, Adam). */
  readonly contenders?: readonly Contender[];
  /** Called after each optimizer's run. */
  readonly onResult?: (result: ContenderResult) => void;
};

/** How one optimizer did. */
export type ContenderResult = {
  readonly name: string;
  /** Training loss of the initial weights (the same for every optimizer). */
  readonly initialLoss: number;
  /** Training loss of each epoch (Keras' `loss`: the mean over the epoch's batches). */
  readonly losses: readonly number[];
  /** Validation accuracy after each epoch. */
  readonly valAccuracies: readonly number[];
  readonly seconds: number;
};

/** What {@link compareOptimizers} returns. */
export type Comparison = {
  readonly backend: string;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly results: readonly ContenderResult[];
};

/** The lecture's MNIST model, 784 → 500 → 50 → 10, with fixed layer names so weights can be copied by name. */
export function lectureMlp(): Sequential {
  return new Sequential([
    dense({name: 'hidden_1', units: 500, activation: 'relu', inputShape: [784]}),
    dense({name: 'hidden_2', units: 50, activation: 'relu'}),
    dense({name: 'output', units: 10, activation: 'softmax'}),
  ]);
}

/**
 * Trains {@link lectureMlp} once per optimizer, each run starting from the
 * same initial weights (drawn once with `seed`) and shuffling with the same
 * seed, and records the training loss and validation accuracy after each
 * epoch. Frees every tensor it made.
 */
export async function compareOptimizers(options: ComparisonOptions = {}): Promise<Comparison> {
  const epochs = options.epochs ?? 5;
  const batchSize = options.batchSize ?? 32;
  const seed = options.seed ?? 1;
  const {backend} = await createTrellis({backend: options.backend ?? 'wasm'});
  const {train: all} = await loadMnist({split: 'train', samples: options.samples ?? 10_000});
  const {train, validation} = data.trainValidationSplit(all.x, all.y, 0.1);
  tf.dispose([all.x, all.y]);
  const trainSamples = train.x.shape[0]!;
  const validationSamples = validation.x.shape[0]!;
  setSeed(seed);
  const reference = lectureMlp();
  reference.build([784]);
  const initialWeights = reference.getWeights();
  reference.dispose();
  const results: ContenderResult[] = [];
  try {
    for (const contender of options.contenders ?? defaultContenders) {
      const model = lectureMlp();
      try {
        model.build([784]);
        model.setWeights(initialWeights);
        model.compile({optimizer: contender.make(), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
        const initialLoss = (await model.evaluate(train.x, train.y, {batchSize: 1000})).loss!;
        setSeed(seed);
        const started = performance.now();
        const history = await model.fit(train.x, train.y, {epochs, batchSize, validationData: [validation.x, validation.y]});
        const result: ContenderResult = {
          name: contender.name,
          initialLoss,
          losses: history.history.loss!,
          valAccuracies: history.history.val_accuracy!,
          seconds: (performance.now() - started) / 1000,
        };
        results.push(result);
        options.onResult?.(result);
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([train.x, train.y, validation.x, validation.y, ...Object.values(initialWeights)]);
  }
  return {
    backend: backend ?? tf.getBackend(),
    trainSamples,
    validationSamples,
    epochs,
    batchSize,
    results,
  };
}
