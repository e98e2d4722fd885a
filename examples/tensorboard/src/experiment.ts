/**
 * The TensorBoard example: the same MNIST MLP trained with two optimizers,
 * each run logged for every TensorBoard dashboard — scalars, weight and
 * gradient histograms, the layer graph, the model summary, a confusion
 * matrix heat map, and the hparams that tell the runs apart.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {ExampleTrainingOptions} from '@trellis/example-kit';
import {
  Sequential,
  accuracy,
  adam,
  callbacks,
  createTrellis,
  dense,
  loadMnist,
  setSeed,
  sgd,
  sparseCategoricalCrossentropy,
  tensorboard,
} from 'trellis';

/** One run of the comparison: an optimizer and its hparams. */
export type RunSetup = {
  /** The run's directory below the log directory. */
  readonly name: string;
  readonly optimizer: 'adam' | 'sgd';
  readonly learningRate: number;
  readonly momentum: number;
  readonly make: () => ReturnType<typeof adam> | ReturnType<typeof sgd>;
};

/** Adam, and SGD with momentum (Keras' two usual choices for this model). */
export const runSetups: readonly RunSetup[] = [
  {name: 'adam', optimizer: 'adam', learningRate: 1e-3, momentum: 0, make: () => adam({learningRate: 1e-3})},
  {name: 'sgd-momentum', optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, make: () => sgd({learningRate: 0.05, momentum: 0.9})},
];

/**
 * Options of {@link runTensorBoardExample}. Defaults: backend `'wasm'`, 5
 * epochs per run, the first 10,000 MNIST training images (10% of them
 * validate), seed 1.
 */
export type ExampleOptions = ExampleTrainingOptions & {
  /** The log directory (one sub-directory per run). */
  readonly logDir: string;
  /** Histograms of weights and gradients every N epochs (default 1). */
  readonly histogramFreq?: number;
};

/** What one run gave: its directory and its History. */
export type RunResult = {
  readonly name: string;
  readonly logDir: string;
  readonly history: Readonly<Record<string, readonly number[]>>;
};

/** The class names of MNIST, for the confusion matrix table. */
export const DIGITS: readonly string[] = Array.from({length: 10}, (_, i) => String(i));

/**
 * Trains the MLP 784-128-64-10 once per {@link runSetups} entry, into
 * `logDir/<run>`: a `SummaryWriter` there holds the hparams session (start
 * and end), and the `tensorBoard` callback writes `train` and `validation`
 * below it (scalars, histograms every `histogramFreq` epochs, the graph and
 * the summary at fit start, the confusion matrix of the validation images
 * at each epoch). Frees every tensor it made.
 */
export async function runTensorBoardExample(options: ExampleOptions): Promise<RunResult[]> {
  await createTrellis({backend: options.backend ?? 'wasm'});
  const epochs = options.epochs ?? 5;
  const batchSize = 64;
  const data = await loadMnist({split: 'train', samples: options.samples ?? 10_000, validationSplit: 0.1});
  const {train} = data;
  const validation = data.validation!;
  const results: RunResult[] = [];
  try {
    for (const setup of runSetups) {
      setSeed(options.seed ?? 1);
      const logDir = `${options.logDir.replace(/[\\/]+$/, '')}/${setup.name}`;
      const session = new tensorboard.SummaryWriter({logDir});
      session.hparams(
        {optimizer: setup.optimizer, learning_rate: setup.learningRate, momentum: setup.momentum, batch_size: batchSize, epochs},
        {
          metrics: [
            {group: 'train', tag: 'epoch_loss'},
            {group: 'validation', tag: 'epoch_loss'},
            {group: 'validation', tag: 'epoch_accuracy'},
          ],
        },
      );
      const model = new Sequential([
        dense({units: 128, activation: 'relu', inputShape: [784]}),
        dense({units: 64, activation: 'relu'}),
        dense({units: 10, activation: 'softmax'}),
      ]);
      let status: 'success' | 'failed' = 'failed';
      try {
        model.compile({optimizer: setup.make(), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
        const history = await model.fit(train.x, train.y, {
          epochs,
          batchSize,
          validationData: [validation.x, validation.y],
          callbacks: [
            callbacks.tensorBoard({
              logDir,
              histogramFreq: options.histogramFreq ?? 1,
              confusionMatrix: {x: validation.x, y: validation.y, labels: DIGITS, batchSize: 256},
            }),
          ],
        });
        results.push({name: setup.name, logDir, history: history.history});
        status = 'success';
      } finally {
        model.dispose();
        await session.close(status);
      }
    }
  } finally {
    tf.dispose([train, validation]);
  }
  return results;
}
