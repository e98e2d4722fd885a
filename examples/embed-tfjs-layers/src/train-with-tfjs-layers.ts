/**
 * A tfjs-layers model trained by tfjs-layers' own `fit`, with a Trellis
 * optimizer (Keras' Adam) and a Trellis learning-rate schedule plugged in
 * through `toTfjsOptimizer`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {loadMnist} from '@trellis/data';
import {adam, toTfjsOptimizer} from '@trellis/optimizers';
import {exponentialDecay} from '@trellis/schedules';

/** Options of {@link trainWithTfjsLayers}. */
export type TrainOptions = {
  /** How many MNIST training images to use (the first N; 10% of them validate). Default 5000. */
  readonly samples?: number;
  /** Epochs of `fit` (default 3). */
  readonly epochs?: number;
  /** Batch size (default 64). */
  readonly batchSize?: number;
  /** Called after every epoch with its number (1-based), its logs and the learning rate of its last step. */
  readonly onEpoch?: (epoch: number, logs: tfl.Logs, learningRate: number) => void;
};

/** What {@link trainWithTfjsLayers} returns; it holds no tensors. */
export type TrainResult = {
  /** Per-epoch `loss`, `acc`, `val_loss`, `val_acc` as tfjs-layers names them. */
  readonly history: Record<string, number[]>;
  /** Optimizer steps taken (batches over all epochs). */
  readonly steps: number;
  /** The learning rate of the first and of the last step. */
  readonly learningRates: readonly [number, number];
  readonly trainSamples: number;
  readonly validationSamples: number;
};

/**
 * Trains a 784-64-10 MLP (relu, softmax; seeded Glorot initializers) built
 * with tfjs-layers, compiled with
 * `toTfjsOptimizer(adam({learningRate: exponentialDecay({initialLearningRate: 3e-3, decaySteps: 50, decayRate: 0.8})}))`,
 * on the first `samples` MNIST images with tfjs-layers' `fit` (cpu backend).
 * Every tensor it makes (data, model, optimizer state) is disposed before it returns.
 */
export async function trainWithTfjsLayers(options: TrainOptions = {}): Promise<TrainResult> {
  const {samples = 5000, epochs = 3, batchSize = 64, onEpoch} = options;
  await tf.setBackend('cpu');
  const {train, validation} = await loadMnist({split: 'train', samples, validationSplit: 0.1});
  const [yTrain, yValidation] = tf.tidy(() => [tf.oneHot(train.y, 10), tf.oneHot(validation!.y, 10)]);

  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({units: 64, activation: 'relu', inputShape: [784], kernelInitializer: tfl.initializers.glorotUniform({seed: 1})}),
      tfl.layers.dense({units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({seed: 2})}),
    ],
  });
  const schedule = exponentialDecay({initialLearningRate: 3e-3, decaySteps: 50, decayRate: 0.8});
  const optimizer = toTfjsOptimizer(adam({learningRate: schedule}));
  try {
    model.compile({optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy']});
    const history = await model.fit(train.x, yTrain, {
      epochs,
      batchSize,
      shuffle: false,
      verbose: 0,
      validationData: [validation!.x, yValidation],
      callbacks: {onEpochEnd: async (epoch, logs) => onEpoch?.(epoch + 1, logs ?? {}, schedule(optimizer.iterations - 1))},
    });
    return {
      history: history.history as Record<string, number[]>,
      steps: optimizer.iterations,
      learningRates: [schedule(0), schedule(optimizer.iterations - 1)],
      trainSamples: train.x.shape[0],
      validationSamples: validation!.x.shape[0],
    };
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([train, validation!, yTrain, yValidation]);
  }
}
