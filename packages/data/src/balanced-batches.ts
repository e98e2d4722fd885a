/**
 * `balancedBatches(x, y, options)`: an endless stream of class-balanced
 * batches, for training on imbalanced labels with `model.fitDataset`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DataError, ShapeError, createRng, optionKeys} from '@trellis/core';
import {checkBatchDataset, seedOption} from './dataset-checks';
import type {TensorBatch} from './from-tensors';

/** Options of {@link balancedBatches}. */
export interface BalancedBatchesOptions {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Seed of the draws (default: the next seed of the global stream, `setSeed`). */
  readonly seed?: number;
}

const KEYS = optionKeys<BalancedBatchesOptions>({batchSize: true, seed: true});

/** An endless dataset: `cardinality` is `Infinity`, so `fitDataset` needs `batchesPerEpoch`. */
export interface EndlessDataset extends Iterable<TensorBatch> {
  readonly cardinality: number;
}

/**
 * Class-balanced batches, drawn with replacement: for each of the
 * `batchSize` slots a class is drawn uniformly among the classes present in
 * `y`, then a sample of that class uniformly. Every class is equally
 * frequent in expectation (`batchSize / classes` per batch), however rare it
 * is in the data; a rare class's samples are repeated. Endless
 * (`cardinality: Infinity`): pass `batchesPerEpoch` to `fitDataset`.
 *
 * `x`: `[samples, ...]`, any dtype. `y`: class ids `[samples]` or
 * `[samples, 1]` (int32, or integral float32), or one-hot `[samples,
 * classes]` (the argmax is the class); read back once, here. Batches keep
 * `y`'s shape and dtype. The inputs are not disposed and must stay alive
 * while the dataset is read. Each batch `{x, y}` holds new tensors owned by
 * the reader (`fitDataset` disposes them after their step).
 *
 * Each `for..of` starts the same sequence again (same `seed`, same batches).
 *
 * @throws ConfigError for a bad `batchSize` or `seed`, or an unknown option; ShapeError when the
 *   sample counts differ; DataError when a label is not a class id.
 *
 * @example
 * await model.fitDataset(balancedBatches(x, y, {batchSize: 64, seed: 1}), {epochs: 10, batchesPerEpoch: 100});
 */
export function balancedBatches(x: tf.Tensor, y: tf.Tensor, options: BalancedBatchesOptions): EndlessDataset {
  const {o, batchSize, samples} = checkBatchDataset('balancedBatches', x, y, options, KEYS);
  const seed = seedOption(o.seed, 'balancedBatches');
  const byClass = samplesByClass(y, samples);

  return {
    cardinality: Infinity,
    *[Symbol.iterator]() {
      const rng = createRng(seed);
      const picks = new Int32Array(batchSize);
      for (;;) {
        for (let i = 0; i < batchSize; i++) {
          const members = byClass[Math.floor(rng.next() * byClass.length)]!;
          picks[i] = members[Math.floor(rng.next() * members.length)]!;
        }
        yield tf.tidy(() => {
          const rows = tf.tensor1d(picks, 'int32');
          return {x: tf.gather(x, rows), y: tf.gather(y, rows)} as unknown as tf.TensorContainer;
        }) as unknown as TensorBatch;
      }
    },
  };
}

/** The sample indices of each class present in `y`, by increasing class id (one readback). */
function samplesByClass(y: tf.Tensor, samples: number): Int32Array[] {
  let ids: ArrayLike<number>;
  if (y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)) {
    ids = y.dataSync();
  } else if (y.rank === 2) {
    const argmax = tf.argMax(y, -1);
    ids = argmax.dataSync();
    argmax.dispose();
  } else {
    throw new ShapeError(
      `balancedBatches: y must be class ids [samples] or [samples, 1], or one-hot [samples, classes]; got [${y.shape.join(', ')}].`,
    );
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < samples; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0) {
      throw new DataError(`balancedBatches: labels must be class ids 0, 1, 2, ...; label ${i} is ${id}.`);
    }
    let list = members.get(id);
    if (!list) members.set(id, (list = []));
    list.push(i);
  }
  return [...members].sort((a, b) => a[0] - b[0]).map(([, list]) => Int32Array.from(list));
}
