/**
 * The two `fit` contenders behind one interface: Trellis' `model.fit` and
 * tfjs-layers' `model.fit`, on the same model, optimizer, loss and metric.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {layersModel, trellisModel} from './bench-models';
import type {ModelSpec, Timing} from './configs';

/** Epoch hooks the measurement needs; `onEpochEnd` returns true to stop training. */
export type EpochHooks = {
  readonly onEpochStart: () => void;
  readonly onEpochEnd: (stepsInEpoch: number) => boolean;
};

/** A compiled model of one library, trained through its own `fit`. */
export type FitContender = {
  /**
   * Trains for up to `epochs` epochs (shuffled batches, no validation),
   * stopping early when a hook asks. `x` `[n, inputs]` float32 and `y` `[n]`
   * int32 stay owned by the caller.
   *
   * @returns the mean loss of the last epoch.
   */
  fit(x: tf.Tensor, y: tf.Tensor, epochs: number, hooks: EpochHooks): Promise<number>;
  /** Weights of the model, trainable and not (compared with {@link ModelSpec.parameters}). */
  readonly parameters: number;
  /** Frees the model (and whatever the contender made). */
  dispose(): void;
};

/**
 * Trellis: the model of {@link trellisModel}, Adam, sparse categorical
 * crossentropy and accuracy: the default assembly, as the MNIST example uses
 * it.
 */
export async function trellisFit(spec: ModelSpec, timing: Timing): Promise<FitContender> {
  const {accuracy, adam, setSeed, sparseCategoricalCrossentropy} = await import('trellis');
  setSeed(1);
  const model = await trellisModel(spec);
  model.compile({
    optimizer: adam({learningRate: timing.learningRate}),
    loss: sparseCategoricalCrossentropy(),
    metrics: [accuracy()],
  });
  return {
    async fit(x, y, epochs, hooks) {
      const history = await model.fit(x, y, {
        epochs,
        batchSize: spec.batchSize,
        shuffle: true,
        verbose: 0,
        callbacks: [
          {
            name: 'benchmark',
            onEpochStart: () => hooks.onEpochStart(),
            onEpochEnd: (context) => {
              if (hooks.onEpochEnd(context.params.stepsPerEpoch)) context.stop('measured');
            },
          },
        ],
      });
      return history.last('loss') ?? Number.NaN;
    },
    parameters: model.countParams(),
    dispose: () => model.dispose(),
  };
}

/**
 * tfjs-layers: the same model ({@link layersModel}), `tf.train.adam`, the
 * `'sparseCategoricalCrossentropy'` loss and the `'accuracy'` metric. Labels
 * are handed over as float32 (Keras convention; the cast is done once, outside
 * the timing).
 */
export async function tfjsLayersFit(spec: ModelSpec, timing: Timing): Promise<FitContender> {
  const model = await layersModel(spec);
  model.compile({
    optimizer: tf.train.adam(timing.learningRate),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return {
    async fit(x, y, epochs, hooks) {
      const labels = tf.cast(y, 'float32');
      const stepsPerEpoch = Math.ceil(x.shape[0]! / spec.batchSize);
      try {
        const history = await model.fit(x, labels, {
          epochs,
          batchSize: spec.batchSize,
          shuffle: true,
          verbose: 0,
          callbacks: {
            onEpochBegin: async () => hooks.onEpochStart(),
            onEpochEnd: async () => {
              if (hooks.onEpochEnd(stepsPerEpoch)) model.stopTraining = true;
            },
          },
        });
        const losses = history.history.loss ?? [];
        return Number(losses[losses.length - 1] ?? Number.NaN);
      } finally {
        labels.dispose();
      }
    },
    parameters: model.countParams(),
    dispose: () => model.dispose(),
  };
}
