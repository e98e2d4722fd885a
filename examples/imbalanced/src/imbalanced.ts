/**
 * The imbalanced-classes lecture: "is it a 3?" on MNIST, with 3s made rare
 * (5% of the images), trained three ways, judged by more than accuracy.
 */
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, adam, binaryCrossentropy, createTrellis, data, dense, loadMnist, metrics, setSeed} from 'trellis';
import {computeMetric, crosstab} from '@trellis/metrics';
import type {ClassWeights} from '@trellis/data';
import type {ExampleTrainingOptions} from '@trellis/example-kit';

/** How a variant trains. */
export type VariantName = 'plain' | 'classWeight' | 'balancedBatches';

/** What one variant scored on the (equally imbalanced) test images. */
export type VariantResult = {
  readonly variant: VariantName;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly auc: number;
  /** `[[true negatives, false positives], [false negatives, true positives]]` at threshold 0.5. */
  readonly matrix: number[][];
  /** The matrix as a `pd.crosstab`-style table. */
  readonly table: string;
};

/**
 * Options of {@link runImbalanced}. Defaults: backend `'wasm'`, 3 epochs per
 * variant, all 60,000 training images read from MNIST before the 3s are
 * thinned, seed 1.
 */
export type ImbalancedOptions = ExampleTrainingOptions & {
  /** Test images read before thinning (default 10,000). */
  readonly testSamples?: number;
  /** The share of 3s after thinning (default 0.05). */
  readonly positiveShare?: number;
  /** The variants to run, in order (default all three). */
  readonly variants?: readonly VariantName[];
};

/**
 * Images of `x` whose label is 3 become class 1, the rest class 0; the 3s
 * are thinned (the first ones kept) until they are `share` of the result.
 * Returns new tensors: `x` `[n, 784]`, `y` float32 `[n, 1]`, `labels` int32 `[n]`.
 */
export function rareThrees(x: tf.Tensor2D, digits: tf.Tensor, share: number): {x: tf.Tensor2D; y: tf.Tensor2D; labels: tf.Tensor1D} {
  const ids = digits.dataSync();
  const threes: number[] = [];
  const others: number[] = [];
  ids.forEach((d, i) => (d === 3 ? threes : others).push(i));
  const keep = Math.min(threes.length, Math.round((share / (1 - share)) * others.length));
  const rows = [...others, ...threes.slice(0, keep)].sort((a, b) => a - b);
  const isThree = new Set(threes);
  return tf.tidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    const labels = tf.tensor1d(
      rows.map((r) => (isThree.has(r) ? 1 : 0)),
      'int32',
    );
    return {x: tf.gather(x, index) as tf.Tensor2D, y: tf.reshape(tf.cast(labels, 'float32'), [-1, 1]) as tf.Tensor2D, labels};
  });
}

/**
 * Trains a small MLP (784-64-1, sigmoid output, Adam 1e-3, batch 128) per
 * variant from the same seed — plain; with `classWeight` from the labels;
 * with class-balanced batches — and scores each on the test images with
 * accuracy, precision, recall, AUC and the confusion matrix. Frees every
 * tensor it made.
 */
export async function runImbalanced(options: ImbalancedOptions = {}): Promise<VariantResult[]> {
  await createTrellis({backend: options.backend ?? 'wasm'});
  const share = options.positiveShare ?? 0.05;
  const {train: rawTrain} = await loadMnist({split: 'train', ...(options.samples !== undefined ? {samples: options.samples} : {})});
  const {test: rawTest} = await loadMnist({split: 'test', ...(options.testSamples !== undefined ? {samples: options.testSamples} : {})});
  const train = rareThrees(rawTrain.x as tf.Tensor2D, rawTrain.y, share);
  const test = rareThrees(rawTest.x as tf.Tensor2D, rawTest.y, share);
  tf.dispose([rawTrain.x, rawTrain.y, rawTest.x, rawTest.y]);
  const epochs = options.epochs ?? 3;
  const batchSize = 128;
  const results: VariantResult[] = [];
  try {
    for (const variant of options.variants ?? (['plain', 'classWeight', 'balancedBatches'] as const)) {
      setSeed(options.seed ?? 1);
      const model = new Sequential([dense({units: 64, activation: 'relu', inputShape: [784]}), dense({units: 1, activation: 'sigmoid'})]);
      try {
        model.compile({
          optimizer: adam({learningRate: 1e-3}),
          loss: binaryCrossentropy(),
          metrics: [metrics.binaryAccuracy({name: 'accuracy'}), metrics.precision(), metrics.recall(), metrics.auc()],
        });
        if (variant === 'balancedBatches') {
          const batches = Math.ceil(train.x.shape[0] / batchSize);
          await model.fitDataset(data.balancedBatches(train.x, train.y, {batchSize, seed: options.seed ?? 1}), {
            epochs,
            batchesPerEpoch: batches,
          });
        } else {
          const classWeight: ClassWeights | undefined = variant === 'classWeight' ? data.classWeightsFrom(train.labels) : undefined;
          await model.fit(train.x, train.y, {epochs, batchSize, ...(classWeight ? {classWeight} : {})});
        }
        const scores = await model.evaluate(test.x, test.y, {batchSize: 1000});
        const probabilities = model.predict(test.x) as tf.Tensor;
        const predicted = tf.tidy(() => tf.reshape(tf.cast(tf.greater(probabilities, 0.5), 'int32'), [-1]));
        const matrix = computeMetric(metrics.confusionMatrix({numClasses: 2}), test.labels, predicted) as number[][];
        tf.dispose([probabilities, predicted]);
        results.push({
          variant,
          accuracy: scores.accuracy!,
          precision: scores.precision!,
          recall: scores.recall!,
          auc: scores.auc!,
          matrix,
          table: crosstab(matrix, {labels: ['not 3', '3']}),
        });
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([train.x, train.y, train.labels, test.x, test.y, test.labels]);
  }
  return results;
}
