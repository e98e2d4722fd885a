/**
 * A small convolutional network on Fashion-MNIST: augmentation, two
 * conv → batch norm → relu → max-pool blocks, dropout and a softmax classifier.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {ExampleTrainingOptions} from '@trellis/example-kit';
import {
  Sequential,
  accuracy,
  adam,
  batchNormalization,
  conv2d,
  createTrellis,
  data,
  dense,
  dropout,
  flatten,
  layers,
  maxPooling2d,
  setSeed,
  sparseCategoricalCrossentropy,
  type History,
} from 'trellis';

/**
 * Options of {@link trainFashionCnn}. Defaults: backend `'wasm'`, 5 epochs,
 * all 60,000 training images (10% of them validate; the test set stays
 * whole), seed 1.
 */
export type FashionCnnOptions = ExampleTrainingOptions & {
  /** Evaluate on the 10,000 test images at the end (default true). */
  readonly test?: boolean;
  /** Called after every epoch with its logs and timing. */
  readonly onEpoch?: (report: EpochReport) => void;
};

/** One line of the training log. */
export type EpochReport = {
  readonly epoch: number;
  readonly epochs: number;
  readonly logs: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly msPerStep: number;
};

/** What {@link trainFashionCnn} returns. */
export type FashionCnnResult = {
  readonly backend: string;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly parameters: number;
  readonly history: History;
  /** Accuracy on the 10,000 test images, when evaluated. */
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
};

/** The network: `[28, 28, 1]` images in, 10 class probabilities out. */
export function fashionCnn(): Sequential {
  return new Sequential([
    layers.randomFlip({mode: 'horizontal', inputShape: [28, 28, 1]}),
    layers.randomTranslation({heightFactor: 0.08, widthFactor: 0.08, fillMode: 'constant'}),
    conv2d({filters: 32, kernelSize: 3, padding: 'same', useBias: false}),
    batchNormalization({momentum: 0.9}),
    layers.activation({activation: 'relu'}),
    maxPooling2d({poolSize: 2}),
    conv2d({filters: 64, kernelSize: 3, padding: 'same', useBias: false}),
    batchNormalization({momentum: 0.9}),
    layers.activation({activation: 'relu'}),
    maxPooling2d({poolSize: 2}),
    flatten(),
    dropout({rate: 0.3}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax'}),
  ]);
}

/**
 * Trains {@link fashionCnn} (Adam 1e-3, batch 64, 10% validation) and reports
 * per-epoch logs and the test accuracy. Frees every tensor it made.
 */
export async function trainFashionCnn(options: FashionCnnOptions = {}): Promise<FashionCnnResult> {
  const {backend} = await createTrellis({backend: options.backend ?? 'wasm'});
  setSeed(options.seed ?? 1);
  const {train} = await data.loadFashionMnist({
    split: 'train',
    flatten: false,
    ...(options.samples !== undefined ? {samples: options.samples} : {}),
  });
  const test = options.test === false ? null : (await data.loadFashionMnist({split: 'test', flatten: false})).test;
  const model = fashionCnn();
  try {
    model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
    const epochs = options.epochs ?? 5;
    let started = 0;
    const history = await model.fit(train.x, train.y, {
      epochs,
      batchSize: 64,
      validationSplit: 0.1,
      callbacks: [
        {
          name: 'report',
          onEpochStart: () => void (started = performance.now()),
          onEpochEnd: async (context) => {
            const seconds = (performance.now() - started) / 1000;
            options.onEpoch?.({
              epoch: context.epoch,
              epochs,
              logs: await context.readLogs(),
              seconds,
              msPerStep: (seconds * 1000) / context.params.stepsPerEpoch,
            });
          },
        },
      ],
    });
    const evaluation = test ? await model.evaluate(test.x, test.y, {batchSize: 500}) : null;
    const n = train.x.shape[0]!;
    const trainSamples = Math.floor(n * 0.9);
    return {
      backend: backend ?? tf.getBackend(),
      trainSamples,
      validationSamples: n - trainSamples,
      parameters: model.countParams(),
      history,
      testAccuracy: evaluation?.accuracy ?? null,
      testLoss: evaluation?.loss ?? null,
    };
  } finally {
    model.dispose();
    tf.dispose([train.x, train.y, ...(test ? [test.x, test.y] : [])]);
  }
}
