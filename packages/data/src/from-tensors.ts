/**
 * `fromTensors(x, y, options)`: in-memory tensors as a re-iterable dataset of
 * batches for `model.fitDataset`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRng, describe, optionKeys, type Layer} from '@trellis/core';
import {augmentBatch, augmentationLayers, type Augmentation} from './augment';
import {checkBatchDataset, seedOption} from './dataset-checks';

/** Options of {@link fromTensors}. */
export interface FromTensorsOptions {
  /** Samples per batch (the last batch of a pass may be smaller). */
  readonly batchSize: number;
  /** A new permutation of the samples for every pass (default false: in order). */
  readonly shuffle?: boolean;
  /** Seed of the permutations (default: the next seed of the global stream, `setSeed`). */
  readonly seed?: number;
  /** Per-sample loss weights, `[samples]` or `[samples, 1]`; batched with `x` and `y` as `sampleWeight`. Not disposed. */
  readonly sampleWeight?: tf.Tensor;
  /**
   * Layers run in training mode on every batch's `x`, a new draw each batch (Keras' `ImageDataGenerator`:
   * `[layers.randomRotation({factor: 10 / 360}), layers.randomZoom({heightFactor: 0.1}), layers.randomFlip()]`).
   * Seeded from `seed`: the k-th pass of two datasets with the same seed sees the same augmented batches.
   * Layers without weights only; `y` and `sampleWeight` are not changed.
   */
  readonly augment?: Augmentation;
}

const KEYS = optionKeys<FromTensorsOptions>({batchSize: true, shuffle: true, seed: true, sampleWeight: true, augment: true});

/** One batch of {@link fromTensors}: new tensors, owned by whoever reads the batch. */
export interface TensorBatch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly sampleWeight?: tf.Tensor;
}

/** A dataset that can be read again: each `for..of` is a new pass; `cardinality` is the batches per pass. */
export interface ReiterableDataset extends Iterable<TensorBatch> {
  readonly cardinality: number;
}

/**
 * Batches of `x` and `y` (and `sampleWeight`), as tf.data's
 * `from_tensor_slices(...).shuffle(...).batch(...)`: every pass (every
 * `for..of`, every epoch of `fitDataset`) yields `ceil(samples / batchSize)`
 * batches covering each sample once, in order or, with `shuffle`, in a new
 * permutation per pass (the k-th pass of any dataset with the same `seed`
 * uses the same permutation).
 *
 * `x`: `[samples, ...]`, `y`: `[samples, ...]`, any dtype; `sampleWeight`:
 * `[samples]` or `[samples, 1]`. The inputs are not disposed and must stay
 * alive while the dataset is read. Each yielded batch holds new tensors
 * (`x`/`y`/`sampleWeight` rows of the same dtypes) owned by the reader:
 * `fitDataset` disposes them after their step; dispose them yourself when
 * reading the dataset by hand.
 *
 * @throws ConfigError for a bad `batchSize` or options (an unknown option too); ShapeError when the
 *   sample counts differ or there are no samples.
 *
 * @example
 * await model.fitDataset(fromTensors(x, y, {batchSize: 32, shuffle: true, seed: 1}), {epochs: 5});
 * // Keras' ImageDataGenerator(rotation_range=10, zoom_range=0.1).flow(x, y, batch_size=32):
 * const flow = fromTensors(x, y, {batchSize: 32, shuffle: true, augment: [layers.randomRotation({factor: 10 / 360}), layers.randomZoom({heightFactor: 0.1})]});
 */
export function fromTensors(x: tf.Tensor, y: tf.Tensor, options: FromTensorsOptions): ReiterableDataset {
  const {o, batchSize, samples} = checkBatchDataset('fromTensors', x, y, options, KEYS);
  const {sampleWeight} = o;
  if (sampleWeight !== undefined) {
    const flat = sampleWeight instanceof tf.Tensor && (sampleWeight.rank === 1 || (sampleWeight.rank === 2 && sampleWeight.shape[1] === 1));
    if (!flat || sampleWeight.shape[0] !== samples) {
      throw new ShapeError(
        `fromTensors: sampleWeight must be a tensor of shape [${samples}] (one weight per sample); got ${
          sampleWeight instanceof tf.Tensor ? `[${sampleWeight.shape.join(', ')}]` : describe(sampleWeight)
        }.`,
      );
    }
  }
  const shuffle = o.shuffle ?? false;
  if (typeof shuffle !== 'boolean') throw new ConfigError(`fromTensors: shuffle must be true or false; got ${describe(shuffle)}.`);
  const seed = seedOption(o.seed, 'fromTensors');
  const augment = o.augment === undefined ? [] : augmentationLayers(o.augment);
  const built = new Set<Layer>();
  const cardinality = Math.ceil(samples / batchSize);

  let passes = 0;
  return {
    cardinality,
    *[Symbol.iterator]() {
      const pass = passes++;
      const order = new Int32Array(samples).map((_, i) => i);
      // Pass k's permutation comes from its own stream derived from the seed.
      if (shuffle) createRng((seed ^ Math.imul(pass + 1, 0x9e3779b9)) >>> 0).shuffle(order);
      // The augmentation of pass k draws from its own stream too (independent of the shuffling).
      const draws = createRng((seed ^ Math.imul(pass + 1, 0x85ebca6b) ^ 0x5bd1e995) >>> 0);
      for (let start = 0; start < samples; start += batchSize) {
        const size = Math.min(batchSize, samples - start);
        yield tf.tidy(() => {
          const rows = shuffle ? tf.tensor1d(order.subarray(start, start + size), 'int32') : null;
          const take = (t: tf.Tensor) => (rows ? tf.gather(t, rows) : tf.slice(t, start, size));
          const rowsOfX = take(x);
          const features = augment.length ? augmentBatch(augment, built, rowsOfX, draws) : rowsOfX;
          const batch: {x: tf.Tensor; y: tf.Tensor; sampleWeight?: tf.Tensor} = {x: features, y: take(y)};
          if (sampleWeight) batch.sampleWeight = take(sampleWeight);
          return batch as unknown as tf.TensorContainer;
        }) as unknown as TensorBatch;
      }
    },
  };
}
