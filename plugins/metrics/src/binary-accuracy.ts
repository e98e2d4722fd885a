import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName, meanMetric, type AccuracyState} from './accuracy-state';

/** Options of {@link binaryAccuracy}. */
export type BinaryAccuracyConfig = {
  /** The log key; default `'binary_accuracy'`. */
  readonly name?: string;
  /** A prediction counts as class 1 when it is strictly greater than this; default 0.5 (use 0 for logits). */
  readonly threshold?: number;
};

const KEYS = optionKeys<BinaryAccuracyConfig>({name: true, threshold: true});

/**
 * Binary accuracy: the fraction of elements where `yPred > threshold` equals
 * `yTrue` (targets 0 or 1). Keras: `keras.metrics.BinaryAccuracy`.
 *
 * Shapes: `yPred` `[batch, ...]`; `yTrue` the same shape, or one that differs
 * only by a trailing dimension of 1 (`[batch]` against `[batch, 1]`). Several
 * outputs per sample (`[batch, k]`, multi-label) are averaged per sample first.
 * Any dtypes (compared as float32). `sampleWeight`: `[batch]`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for an invalid `name`, a non-finite `threshold` or an unknown option.
 */
export function binaryAccuracy(config: BinaryAccuracyConfig = {}): Metric<AccuracyState, Required<BinaryAccuracyConfig>> {
  checkOptions('binaryAccuracy', config, KEYS);
  const name = checkName('binaryAccuracy', config.name, 'binary_accuracy');
  const threshold = config.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new ConfigError(
      `binaryAccuracy: threshold must be a finite number (0.5 for probabilities, 0 for logits); got ${describe(threshold)}.`,
    );
  }
  return meanMetric(
    {id: 'trellis/binaryAccuracy', config: {name, threshold}},
    (yTrue, yPred) => {
      sameShapeUpToTrailingOne(name, yTrue, yPred);
    },
    (yTrue, yPred) => {
      const t = tf.reshape(tf.cast(yTrue, 'float32'), yPred.shape);
      const p = tf.cast(tf.greater(tf.cast(yPred, 'float32'), threshold), 'float32');
      return tf.equal(t, p);
    },
  );
}

function sameShapeUpToTrailingOne(name: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  const a = yTrue.shape;
  const b = yPred.shape;
  const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((d, i) => d === y[i]);
  const ok =
    same(a, b) ||
    (a.length === b.length + 1 && a[a.length - 1] === 1 && same(a.slice(0, -1), b)) ||
    (b.length === a.length + 1 && b[b.length - 1] === 1 && same(b.slice(0, -1), a));
  if (!ok) {
    throw new ShapeError(
      `${name}: yTrue must have the shape of yPred (or differ by a trailing 1, as [batch] vs [batch, 1]); ` +
        `got yTrue ${describe(yTrue)} and yPred ${describe(yPred)}. For class ids use sparseCategoricalAccuracy().`,
    );
  }
}
