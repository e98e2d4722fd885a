/**
 * The memory soak's training run: a small dense classifier trained with
 * Trellis' `model.fit` for many epochs, reading memory after each epoch.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, accuracy, adam, createTrellis, dense, dropout, setSeed, sparseCategoricalCrossentropy} from 'trellis';
import {createRng} from '@trellis/core';
import type {MemorySample} from './soak-verdict';

/** What the soak trains, and on which backend. */
export type SoakSettings = {
  readonly backend: 'wasm' | 'cpu';
  readonly epochs: number;
  /** Random samples, of which `validationSplit` are held out. */
  readonly samples: number;
  readonly batchSize: number;
  readonly validationSplit: number;
};

/** `pnpm memory`'s defaults: 100 epochs over 512 samples, batch 32, 20% validation, wasm. */
export const DEFAULT_SOAK_SETTINGS: SoakSettings = {backend: 'wasm', epochs: 100, samples: 512, batchSize: 32, validationSplit: 0.2};

/** Input features of the soak's data. */
const FEATURES = 20;
/** Classes of the soak's labels. */
const CLASSES = 3;

/** What a soak run returns. */
export type SoakRun = {
  /** One reading per epoch, epochs 1, 2, … in order. */
  readonly samples: readonly MemorySample[];
  /** `loss`, `accuracy`, `val_loss` and `val_accuracy` of the last epoch. */
  readonly lastLogs: Readonly<Record<string, number>>;
  /** The active tfjs backend while training. */
  readonly backend: string;
};

/** Runs a full garbage collection when node was started with `--expose-gc`. */
function collectGarbage(): void {
  (globalThis as {gc?: () => void}).gc?.();
}

/**
 * Seeded data with a learnable rule: 20 features uniform in [-1, 1), the
 * label the largest of three fixed sums of features (so the loss falls and
 * every kernel of a real fit runs). Tensors are owned by the caller.
 */
function makeData(samples: number): {x: tf.Tensor2D; y: tf.Tensor1D} {
  const rng = createRng(1);
  const x = new Float32Array(samples * FEATURES);
  const y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const scores = new Array<number>(CLASSES).fill(0);
    for (let f = 0; f < FEATURES; f++) {
      const v = rng.next() * 2 - 1;
      x[i * FEATURES + f] = v;
      scores[f % CLASSES]! += v;
    }
    y[i] = scores.indexOf(Math.max(...scores));
  }
  return {x: tf.tensor2d(x, [samples, FEATURES]), y: tf.tensor1d(y, 'int32')};
}

/**
 * Trains `Sequential([dense 20→32 relu, dropout 0.2, dense 3 softmax])` with
 * Adam, sparse categorical crossentropy and accuracy through `trellis`
 * (`createTrellis`, the default assembly, on `settings.backend`), and after
 * every epoch collects garbage (when exposed) and records
 * `tf.memory().numTensors` and `process.memoryUsage()`'s `rss` and `heapUsed`.
 *
 * @param onEpoch - called with each reading as it is taken (progress output).
 */
export async function runSoak(settings: SoakSettings, onEpoch: (sample: MemorySample) => void = () => {}): Promise<SoakRun> {
  const {backend} = await createTrellis({backend: settings.backend});
  if (backend !== settings.backend) throw new Error(`expected the ${settings.backend} backend; createTrellis made ${backend} active`);
  setSeed(1);
  const {x, y} = makeData(settings.samples);
  const model = new Sequential([
    dense({units: 32, activation: 'relu', inputShape: [FEATURES]}),
    dropout({rate: 0.2}),
    dense({units: CLASSES, activation: 'softmax'}),
  ]);
  model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  const samples: MemorySample[] = [];
  let lastLogs: Readonly<Record<string, number>> = {};
  try {
    await model.fit(x, y, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      validationSplit: settings.validationSplit,
      verbose: 0,
      callbacks: [
        {
          name: 'memory-soak',
          async onEpochEnd(context) {
            lastLogs = await context.readLogs();
            collectGarbage();
            const {rss, heapUsed} = process.memoryUsage();
            const sample = {epoch: context.epoch + 1, numTensors: tf.memory().numTensors, rssBytes: rss, heapUsedBytes: heapUsed};
            samples.push(sample);
            onEpoch(sample);
          },
        },
      ],
    });
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
  return {samples, lastLogs, backend: tf.getBackend()};
}
