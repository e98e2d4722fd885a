/**
 * The transfer-learning lecture on MNIST: model A learns the digits 0–4; model
 * B, for the digits 5–9, reuses A's hidden layers under a new head, trains the
 * head with them frozen, then fine-tunes everything at a lower learning rate —
 * compared with B trained from scratch on the same small training set.
 */
import * as tf from '@tensorflow/tfjs-core';
import {cloneModel} from '@trellis/core';
import type {ExampleRunOptions} from '@trellis/example-kit';
import {Sequential, createTrellis, data, layers, optimizers, setSeed, type Layer} from 'trellis';

/** Options of {@link runTransfer}. Defaults: backend `'wasm'`, seed 42. */
export type TransferOptions = ExampleRunOptions & {
  /** MNIST training images read for A (the 0–4 among them are used; default 60,000). */
  readonly samplesA?: number;
  /** MNIST test images read (default 10,000). */
  readonly testSamples?: number;
  /** Training images of 5–9 that B gets (default 200). */
  readonly samplesB?: number;
  /** Epochs of A (default 5). */
  readonly epochsA?: number;
  /** Epochs of B's head with A's layers frozen (default 20), then of fine-tuning (default 20). */
  readonly epochsHead?: number;
  readonly epochsFineTune?: number;
  /** Widths of A's hidden layers (default [300, 100]). */
  readonly hidden?: readonly number[];
  /** How many of A's hidden layers, from the bottom, B reuses (default all); B gets new ones for the rest. */
  readonly reuse?: number;
  /** Learning rate of the fine-tuning (default 3e-4; everything else trains at 1e-3). */
  readonly fineTuneLearningRate?: number;
};

/** What the run measured: accuracies on the test images of 0–4 (A) and 5–9 (B). */
export type TransferResult = {
  readonly samplesB: number;
  /** A on 0–4, right after its own training. */
  readonly accuracyA: number;
  /** A on 0–4 after B trained its head over A's own layers, frozen (shared, not cloned). */
  readonly accuracyAAfterFrozenShared: number;
  /** Whether A's weights were bit for bit the same after that frozen training. */
  readonly weightsAUnchangedWhenFrozen: boolean;
  /** A on 0–4 after B fine-tuned A's own layers, unfrozen (shared, not cloned): A changed too. */
  readonly accuracyAAfterFineTuneShared: number;
  /** A on 0–4 after B fine-tuned a clone of A's layers (`cloneModel`, Keras' clone_model + set_weights). */
  readonly accuracyAAfterFineTuneCloned: number;
  /** B on 5–9 trained from scratch on the `samplesB` images, `epochsHead + epochsFineTune` epochs. */
  readonly accuracyBScratch: number;
  /** B on 5–9 with A's (cloned) layers frozen, after training the head. */
  readonly accuracyBHead: number;
  /** B on 5–9 after fine-tuning everything at a tenth of the learning rate. */
  readonly accuracyBFineTuned: number;
};

type Part = {x: tf.Tensor2D; y: tf.Tensor1D};

/**
 * The images among the first `firstRows` of `part` whose digit is in `digits`, at most `limit` of them
 * (the first ones), labels shifted by `offset` (so 5–9 become classes 0–4).
 */
function digitsOf(
  part: {x: tf.Tensor; y: tf.Tensor},
  digits: readonly number[],
  offset: number,
  firstRows: number,
  limit = Infinity,
): Part {
  const ids = part.y.dataSync();
  const rows: number[] = [];
  for (let i = 0; i < Math.min(ids.length, firstRows) && rows.length < limit; i++) if (digits.includes(ids[i]!)) rows.push(i);
  return tf.tidy(() => {
    const index = tf.tensor1d(rows, 'int32');
    return {x: tf.gather(part.x, index) as tf.Tensor2D, y: tf.sub(tf.gather(part.y, index), offset) as tf.Tensor1D};
  });
}

/** Hidden layers of the given widths, the first one taking the 784 pixels when `first`. */
function hiddenLayers(widths: readonly number[], first = true): Layer[] {
  return widths.map((units, i) =>
    layers.dense({units, activation: 'relu', kernelInitializer: 'he_normal', ...(first && i === 0 ? {inputShape: [784]} : {})}),
  );
}

const head = () => layers.dense({units: 5, activation: 'softmax'});

async function accuracyOf(model: Sequential, part: Part): Promise<number> {
  const {accuracy} = await model.evaluate(part.x, part.y, {batchSize: 512});
  return accuracy!;
}

function weightsEqual(a: Record<string, tf.Tensor>, b: Record<string, tf.Tensor>): boolean {
  return Object.keys(a).every((name) => tf.tidy(() => tf.all(tf.equal(a[name]!, b[name]!)).dataSync()[0] === 1));
}

/**
 * B = the given hidden layers (frozen) + a new head: trains the head, then unfreezes
 * the hidden layers and fine-tunes everything with a lower learning rate.
 * Returns B's accuracy after each phase.
 */
async function transferTo(hidden: readonly Layer[], train: Part, test: Part, o: Required<TransferOptions>, after?: () => Promise<void>) {
  const b = new Sequential([...hidden, ...hiddenLayers(o.hidden.slice(o.reuse), false), head()], {name: 'model_b'});
  for (const layer of hidden) layer.trainable = false;
  b.compile({optimizer: optimizers.adam({learningRate: 1e-3}), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']});
  await b.fit(train.x, train.y, {epochs: o.epochsHead, batchSize: 32});
  const headOnly = await accuracyOf(b, test);
  await after?.();
  for (const layer of hidden) layer.trainable = true;
  b.compile({
    optimizer: optimizers.adam({learningRate: o.fineTuneLearningRate}),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  await b.fit(train.x, train.y, {epochs: o.epochsFineTune, batchSize: 32});
  return {model: b, headOnly, fineTuned: await accuracyOf(b, test)};
}

/** Runs the whole lecture and returns its numbers. */
export async function runTransfer(options: TransferOptions = {}): Promise<TransferResult> {
  const o: Required<TransferOptions> = {
    backend: 'wasm',
    seed: 42,
    samplesA: 60_000,
    testSamples: 10_000,
    samplesB: 200,
    epochsA: 5,
    epochsHead: 20,
    epochsFineTune: 20,
    hidden: [300, 100],
    reuse: options.hidden?.length ?? 2,
    fineTuneLearningRate: 3e-4,
    ...options,
  };
  const {registry} = await createTrellis({backend: o.backend});
  const mnist = await data.loadMnist({samples: Math.max(o.samplesA, o.testSamples)});
  const trainA = digitsOf(mnist.train, [0, 1, 2, 3, 4], 0, o.samplesA);
  const testA = digitsOf(mnist.test, [0, 1, 2, 3, 4], 0, o.testSamples);
  // B's small training set: the first `samplesB` images of 5–9 (A never saw a 5–9).
  const trainB = digitsOf(mnist.train, [5, 6, 7, 8, 9], 5, 60_000, o.samplesB);
  const testB = digitsOf(mnist.test, [5, 6, 7, 8, 9], 5, o.testSamples);
  tf.dispose(mnist);
  const models: Sequential[] = [];
  try {
    // Model A on 0–4.
    setSeed(o.seed);
    const a = new Sequential([...hiddenLayers(o.hidden), head()], {name: 'model_a'});
    models.push(a);
    a.compile({optimizer: optimizers.adam({learningRate: 1e-3}), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']});
    await a.fit(trainA.x, trainA.y, {epochs: o.epochsA, batchSize: 64});
    const accuracyA = await accuracyOf(a, testA);
    const trainedA = a.getWeights();

    // B from scratch on the small set, as many epochs as the transfer gets in all.
    setSeed(o.seed + 1);
    const scratch = new Sequential([...hiddenLayers(o.hidden), head()], {name: 'model_b_scratch'});
    models.push(scratch);
    scratch.compile({optimizer: optimizers.adam({learningRate: 1e-3}), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy']});
    await scratch.fit(trainB.x, trainB.y, {epochs: o.epochsHead + o.epochsFineTune, batchSize: 32});
    const accuracyBScratch = await accuracyOf(scratch, testB);

    // The lectures' way: B gets a clone of A's layers with A's weights, so A stays A.
    setSeed(o.seed + 2);
    const clone = cloneModel(a, {registry, copyWeights: true});
    models.push(clone as Sequential);
    const cloned = await transferTo(clone.layers.slice(0, o.reuse), trainB, testB, o);
    models.push(cloned.model);
    const accuracyAAfterFineTuneCloned = await accuracyOf(a, testA);

    // Without the clone: B holds A's own layer objects, one set of weights for both models.
    setSeed(o.seed + 2);
    let accuracyAAfterFrozenShared = Number.NaN;
    let weightsAUnchangedWhenFrozen = false;
    const shared = await transferTo(a.layers.slice(0, o.reuse), trainB, testB, o, async () => {
      accuracyAAfterFrozenShared = await accuracyOf(a, testA);
      const now = a.getWeights();
      weightsAUnchangedWhenFrozen = weightsEqual(trainedA, now);
      tf.dispose(now);
    });
    models.push(shared.model);
    const accuracyAAfterFineTuneShared = await accuracyOf(a, testA);
    tf.dispose(trainedA);

    return {
      samplesB: trainB.y.shape[0],
      accuracyA,
      accuracyAAfterFrozenShared,
      weightsAUnchangedWhenFrozen,
      accuracyAAfterFineTuneShared,
      accuracyAAfterFineTuneCloned,
      accuracyBScratch,
      accuracyBHead: cloned.headOnly,
      accuracyBFineTuned: cloned.fineTuned,
    };
  } finally {
    for (const m of models.reverse()) m.dispose();
    tf.dispose([trainA, testA, trainB, testB]);
  }
}
