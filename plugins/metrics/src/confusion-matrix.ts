import * as tf from '@tensorflow/tfjs-core';
import {DataError, ShapeError, checkNumber, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName} from './accuracy-state';
import {checkBatch, checkStateKeys} from './metric-checks';

/** Options of {@link confusionMatrix}. */
export type ConfusionMatrixConfig = {
  /** The number of classes (rows and columns of the matrix); a positive integer, required. */
  readonly numClasses: number;
  /** The log key; default `'confusion_matrix'`. */
  readonly name?: string;
};

/** The state of {@link confusionMatrix}: a float32 `[numClasses, numClasses]` matrix on the device (rows true, columns predicted). */
export type ConfusionMatrixState = {readonly matrix: tf.Tensor2D};

const KEYS = optionKeys<ConfusionMatrixConfig>({numClasses: true, name: true});

/**
 * A streaming confusion matrix: entry `[i, j]` is the (weighted) number of
 * samples of true class `i` predicted as class `j`, as
 * `sklearn.metrics.confusion_matrix(yTrue, yPred, labels=range(numClasses),
 * sample_weight=…)`. Keras has no such metric; TensorFlow's
 * `tf.math.confusion_matrix` has the same layout.
 *
 * Shapes: `yTrue` class ids `[batch]` or `[batch, 1]`, or one-hot
 * `[batch, numClasses]` (argmax). `yPred` scores (probabilities or logits)
 * `[batch, numClasses]` (argmax; ties pick the first class) or class ids
 * `[batch]`. Ids may be int32 or float32. For a binary classifier's
 * `[batch, 1]` probabilities, threshold them first
 * (`tf.reshape(tf.greater(yPred, 0.5), [-1])`). `sampleWeight`: `[batch]` or
 * `[batch, 1]`. The result is a new float32 `[numClasses, numClasses]`
 * tensor: rank 2, so `fit` keeps it out of its logs; read it with
 * `computeMetric`, `StreamingMetric.resultValue()` and print it with
 * `crosstab`.
 *
 * Validation reads back: every `update` given class ids checks that they are
 * integers in `[0, numClasses)`, which costs one small synchronous readback
 * (the min, max and integrality of the ids) per batch. One-hot targets and
 * score predictions need no readback. On the webgpu backend, which reads
 * only asynchronously, the check's readback is asynchronous and its
 * `DataError` comes from the next `update` or `result` (read the result with
 * `await`, as `computeMetricAsync` does, so that the check has come back).
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for a missing or non-integer `numClasses`, an invalid `name` or an unknown option.
 * Updates throw a `ShapeError` for shapes that do not fit `numClasses`, and a
 * `DataError` for a class id below 0, at or above `numClasses`, or not an integer.
 */
export function confusionMatrix(config: ConfusionMatrixConfig): Metric<ConfusionMatrixState, Required<ConfusionMatrixConfig>> {
  const options = checkOptions('confusionMatrix', config, KEYS) as Partial<ConfusionMatrixConfig>;
  const numClasses = checkNumber('confusionMatrix', 'numClasses', options.numClasses, {min: 1, integer: true, example: 10});
  const name = checkName('confusionMatrix', options.name, 'confusion_matrix');
  const spec = Object.freeze({id: 'trellis/confusionMatrix', config: Object.freeze({numClasses, name})});
  const n = numClasses;
  const check = (state: unknown): void => {
    checkStateKeys<ConfusionMatrixState>(name, state, ['matrix'], `{matrix} ([${n}, ${n}])`);
    const m = (state as ConfusionMatrixState).matrix;
    if (m.rank !== 2 || m.shape[0] !== n || m.shape[1] !== n) {
      throw new ShapeError(`${name}: the state matrix must be [${n}, ${n}]; got ${describe(m)}. Start from init().`);
    }
  };

  /** What the ids of `t` are: 'ids' (class ids to validate) or 'scores' (argmax). */
  const kindOf = (who: 'yTrue' | 'yPred', t: tf.Tensor, batch: number): 'ids' | 'scores' => {
    if (t.rank === 1) return 'ids';
    if (t.rank === 2 && t.shape[1] === n && (n > 1 || who === 'yPred')) return 'scores';
    if (who === 'yTrue' && t.rank === 2 && t.shape[1] === 1) return 'ids';
    const expected =
      who === 'yTrue'
        ? `class ids [${batch}] or [${batch}, 1], or one-hot rows [${batch}, ${n}]`
        : `scores [${batch}, ${n}] (probabilities or logits) or class ids [${batch}]`;
    const hint =
      who === 'yPred' && t.rank === 2 && t.shape[1] === 1
        ? ` For a binary classifier's [batch, 1] probabilities, threshold them into ids first: tf.reshape(tf.greater(yPred, 0.5), [-1]).`
        : t.rank === 2
          ? ` The last dimension must be numClasses (${n}); pass numClasses: ${t.shape[1]} if that is the number of classes.`
          : '';
    throw new ShapeError(`${name}: expected ${who} as ${expected}; got ${describe(t)}.${hint}`);
  };

  const checkIdStats = (who: 'yTrue' | 'yPred', stats: ArrayLike<number>): void => {
    const [lo, hi, frac] = [stats[0], stats[1], stats[2]];
    if (!(lo! >= 0 && hi! < n)) {
      const bad = !(lo! >= 0) ? lo! : hi!;
      throw new DataError(
        `${name}: ${who} holds the class id ${bad}, outside [0, ${n}) for numClasses ${n}. ` +
          (bad >= n ? `Pass numClasses: ${bad + 1} (or more) if there are that many classes, or fix the labels.` : 'Class ids start at 0.'),
      );
    }
    if (frac! > 0) {
      throw new DataError(`${name}: ${who} holds class ids that are not integers (in [0, ${n})). Round or cast them to int32 first.`);
    }
  };

  // A failed check read back asynchronously (webgpu): thrown by `settled`, or else by the next update or result.
  let lateFailure: unknown = null;
  const pendingChecks = new Set<Promise<void>>();
  const throwLateFailure = (): void => {
    if (lateFailure === null) return;
    const failure = lateFailure;
    lateFailure = null;
    throw failure;
  };

  const validateIds = (who: 'yTrue' | 'yPred', ids: tf.Tensor): void => {
    const stats = tf.tidy(() => {
      const f = tf.cast(ids, 'float32');
      return tf.stack([tf.min(f), tf.max(f), tf.max(tf.abs(tf.sub(f, tf.round(f))))]);
    });
    if (tf.getBackend() !== 'webgpu') {
      const values = stats.dataSync();
      stats.dispose();
      checkIdStats(who, values);
      return;
    }
    // webgpu reads only asynchronously (a synchronous read throws in Node and stalls a browser's GPU).
    const check = stats
      .data()
      .then((values) => checkIdStats(who, values))
      .catch((error: unknown) => {
        lateFailure ??= error;
      })
      .finally(() => {
        stats.dispose();
        pendingChecks.delete(check);
      });
    pendingChecks.add(check);
  };

  return {
    spec,
    name,
    init: () => ({matrix: tf.zeros([n, n], 'float32') as tf.Tensor2D}),
    update(state, yTrue, yPred, sampleWeight) {
      check(state);
      throwLateFailure();
      const batch = checkBatch(name, yTrue, yPred, sampleWeight);
      const trueKind = kindOf('yTrue', yTrue, batch);
      const predKind = kindOf('yPred', yPred, batch);
      if (trueKind === 'ids') validateIds('yTrue', yTrue);
      if (predKind === 'ids') validateIds('yPred', yPred);
      return tf.tidy(() => {
        const ids = (t: tf.Tensor, kind: 'ids' | 'scores') =>
          kind === 'ids' ? tf.reshape(tf.cast(tf.round(tf.cast(t, 'float32')), 'int32'), [batch]) : tf.argMax(t, -1);
        // int32 one-hot, then a cast: the wasm backend's OneHot ignores a float32 dtype.
        const rows = tf.cast(tf.oneHot(ids(yTrue, trueKind) as tf.Tensor1D, n), 'float32');
        const cols = tf.cast(tf.oneHot(ids(yPred, predKind) as tf.Tensor1D, n), 'float32');
        const weighted = sampleWeight === undefined ? rows : tf.mul(rows, tf.reshape(tf.cast(sampleWeight, 'float32'), [batch, 1]));
        return {matrix: tf.add(state.matrix, tf.matMul(weighted, cols, true, false)) as tf.Tensor2D};
      });
    },
    result(state) {
      check(state);
      throwLateFailure();
      return tf.clone(state.matrix);
    },
    async settled() {
      while (pendingChecks.size > 0) await Promise.all(pendingChecks);
      throwLateFailure();
    },
    merge(a, b) {
      check(a);
      check(b);
      return {matrix: tf.add(a.matrix, b.matrix) as tf.Tensor2D};
    },
  };
}
