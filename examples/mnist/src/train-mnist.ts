/**
 * The main job: an MLP 784-512-128-10 trained on the real MNIST digits.
 */
import * as tf from '@tensorflow/tfjs-core';
import {nodeBackend} from '@trellis/backend-node';
import type {ExampleTrainingOptions} from '@trellis/example-kit';
import {
  Sequential,
  accuracy,
  callbacks,
  createTrellis,
  dense,
  earlyStopping,
  loadMnist,
  setSeed,
  sparseCategoricalCrossentropy,
  type BackendChoice,
  type History,
} from 'trellis';
import {mnistOptimizer, type MnistOptimizerName} from './mnist-optimizers';

/**
 * Options of {@link trainMnist}. Defaults: backend `'wasm'` (see
 * {@link MnistBackend} for the others), 5 epochs, all 60,000 training images
 * (10% of them validate; the test set stays whole), seed 1.
 */
export type MnistOptions = ExampleTrainingOptions<MnistBackend> & {
  /** Evaluate on the 10,000 test images at the end (default true). */
  readonly test?: boolean;
  /** The optimizer (default `'adam'`, Adam 1e-3); see {@link mnistOptimizer}. */
  readonly optimizer?: MnistOptimizerName;
  /**
   * Steer the run as Keras users do: `earlyStopping` (val_loss, patience 3,
   * best weights restored) and `reduceLROnPlateau` (val_loss, halve the rate
   * after 1 epoch without improvement, down to 1e-5). Default false.
   */
  readonly steer?: boolean;
  /** Called once the data is loaded, before the first epoch. */
  readonly onStart?: (report: StartReport) => void;
  /** Called after every epoch with its logs and timing. */
  readonly onEpoch?: (report: EpochReport) => void;
};

/**
 * The backends the job runs on: `'wasm'` (default), `'cpu'`, `'node'`
 * (native TensorFlow on the CPU: `@trellis/backend-node` with
 * `@tensorflow/tfjs-node`), or `'auto'` (the fastest that works here; see
 * `createTrellis({backend: 'auto'})`).
 */
export type MnistBackend = 'wasm' | 'cpu' | 'node' | 'auto';

/** What the run is about to do. */
export type StartReport = {
  /** The active tfjs backend (`'tensorflow'` for node). */
  readonly backend: string;
  /** With `'auto'`: what was chosen and why the faster backends were skipped. */
  readonly choice: BackendChoice | null;
  /** The optimizer's label, e.g. `'Adam 1e-3'`. */
  readonly optimizer: string;
  readonly stepsPerEpoch: number;
};

/** One line of the training log. */
export type EpochReport = {
  readonly epoch: number;
  readonly epochs: number;
  readonly logs: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly msPerStep: number;
  /** The learning rate of the next update, after the epoch's last step (`FitContext.learningRate`). */
  readonly learningRate: number | undefined;
};

/** What {@link trainMnist} returns. */
export type MnistResult = {
  readonly backend: string;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly history: History;
  /** The optimizer's label, e.g. `'Adam 1e-3'`. */
  readonly optimizer: string;
  /** Accuracy on the 10,000 test images, when evaluated. */
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
};

/**
 * Trains the MLP (relu, batch 128, 10% validation; Adam 1e-3 unless
 * `optimizer` says otherwise; with `steer`, early stopping and a rate
 * reduced on plateaus) and reports per-epoch logs, the learning rate
 * and the test accuracy. Frees every tensor it made.
 * @throws ConfigError for an unknown optimizer name.
 */
export async function trainMnist(options: MnistOptions = {}): Promise<MnistResult> {
  const batchSize = 128;
  const wanted = options.backend ?? 'wasm';
  const {backend, choice} = await createTrellis(
    wanted === 'node' ? {backend: nodeBackend({gpu: false})} : wanted === 'auto' ? {backend: 'auto', print: false} : {backend: wanted},
  );
  setSeed(options.seed ?? 1);
  const {train} = await loadMnist({split: 'train', ...(options.samples !== undefined ? {samples: options.samples} : {})});
  const test = options.test === false ? null : (await loadMnist({split: 'test'})).test;
  const model = new Sequential([
    dense({units: 512, activation: 'relu', inputShape: [784]}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax'}),
  ]);
  const n = train.x.shape[0]!;
  const validationSamples = n - Math.floor(n * 0.9);
  const trainSamples = n - validationSamples;
  const stepsPerEpoch = Math.ceil(trainSamples / batchSize);
  try {
    const {optimizer, label} = mnistOptimizer(options.optimizer ?? 'adam', stepsPerEpoch);
    model.compile({optimizer, loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
    options.onStart?.({backend: backend ?? tf.getBackend(), choice, optimizer: label, stepsPerEpoch});
    const epochs = options.epochs ?? 5;
    let started = 0;
    const history = await model.fit(train.x, train.y, {
      epochs,
      batchSize,
      validationSplit: 0.1,
      callbacks: [
        ...(options.steer
          ? [
              earlyStopping({monitor: 'val_loss', patience: 3, restoreBestWeights: true}),
              callbacks.reduceLROnPlateau({monitor: 'val_loss', factor: 0.5, patience: 1, minLr: 1e-5}),
            ]
          : []),
        {
          name: 'report',
          onEpochStart: () => void (started = performance.now()),
          onEpochEnd: async (context) => {
            const seconds = (performance.now() - started) / 1000;
            const logs = await context.readLogs();
            options.onEpoch?.({
              epoch: context.epoch,
              epochs,
              logs,
              seconds,
              msPerStep: (seconds * 1000) / context.params.stepsPerEpoch,
              learningRate: context.learningRate,
            });
          },
        },
      ],
    });
    const evaluation = test ? await model.evaluate(test.x, test.y, {batchSize: 1000}) : null;
    return {
      backend: backend ?? tf.getBackend(),
      trainSamples,
      validationSamples,
      optimizer: label,
      history,
      testAccuracy: evaluation?.accuracy ?? null,
      testLoss: evaluation?.loss ?? null,
    };
  } finally {
    model.dispose();
    tf.dispose([train.x, train.y, ...(test ? [test.x, test.y] : [])]);
  }
}
