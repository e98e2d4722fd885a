import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, checkNumber, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName} from './accuracy-state';
import {checkBatch, checkStateKeys, squeezeOrExpand, squeezedShapes} from './metric-checks';

/** How {@link r2Score} combines the scores of several outputs: `null` keeps one per output. */
export type R2ClassAggregation = 'uniform_average' | 'variance_weighted_average' | null;

/** Options of {@link r2Score}. */
export type R2ScoreConfig = {
  /**
   * `'uniform_average'` (default): the mean of the per-output scores;
   * `'variance_weighted_average'` (also spelled `'variance_weighted'`): their
   * mean weighted by each output's total sum of squares; `null`: one score per
   * output (a rank-1 result).
   */
  readonly classAggregation?: R2ClassAggregation | 'variance_weighted';
  /** The number of independent regressors, for the adjusted R²; an integer ≥ 0, default 0 (plain R²). */
  readonly numRegressors?: number;
  /** The log key; default `'r2_score'`. */
  readonly name?: string;
};

/**
 * The state of {@link r2Score}: float32 tensors on the device, Keras'
 * variables. `squaredSum`, `sum`, `totalMse` (Keras' `residual`) and `count`
 * are vectors `[outputs]` (empty `[0]` until the first update fixes the number
 * of outputs); `numSamples` is a scalar, the number of samples with a
 * non-zero weight.
 */
export type R2State = {
  readonly squaredSum: tf.Tensor1D;
  readonly sum: tf.Tensor1D;
  readonly totalMse: tf.Tensor1D;
  readonly count: tf.Tensor1D;
  readonly numSamples: tf.Scalar;
};

const KEYS = optionKeys<R2ScoreConfig>({classAggregation: true, numRegressors: true, name: true});
const STATE_KEYS = ['squaredSum', 'sum', 'totalMse', 'count', 'numSamples'] as const;
const VECTORS = ['squaredSum', 'sum', 'totalMse', 'count'] as const;

/**
 * The coefficient of determination R² = 1 − SS_res / SS_tot per output,
 * streamed from on-device sums (Σwy, Σwy², Σw(y − ŷ)², Σw), exactly as
 * Keras' `keras.metrics.R2Score`: an output whose score is infinite (a
 * constant target with residuals) reads 0, and one with no variance and no
 * residual reads NaN, as in Keras. With `numRegressors` p > 0 the adjusted
 * score `1 − (1 − R²)(n − 1)/(n − p − 1)` is used when p < n − 1 (n = samples
 * with a non-zero weight), else the plain one — decided on the device, with
 * no readback (Keras warns on the host instead).
 *
 * Shapes: `yTrue` and `yPred` `[batch, outputs]` (or `[batch]` against
 * `[batch, 1]`), any float dtype, with the same number of outputs on every
 * update. `sampleWeight`: `[batch]` or `[batch, 1]`. Result: a float32
 * scalar, or `[outputs]` with `classAggregation: null`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for an unknown `classAggregation`, a negative or non-integer `numRegressors`, an invalid `name` or an unknown option.
 * Updates throw a `ShapeError` for inputs that are not `[batch, outputs]` or an output count that changed.
 */
export function r2Score(
  config: R2ScoreConfig = {},
): Metric<R2State, {classAggregation: R2ClassAggregation; numRegressors: number; name: string}> {
  checkOptions('r2Score', config, KEYS);
  const raw = config.classAggregation === undefined ? 'uniform_average' : config.classAggregation;
  if (raw !== null && raw !== 'uniform_average' && raw !== 'variance_weighted_average' && raw !== 'variance_weighted') {
    throw new ConfigError(
      `r2Score: classAggregation must be 'uniform_average', 'variance_weighted_average' or null; got ${describe(raw)}.`,
    );
  }
  const classAggregation: R2ClassAggregation = raw === 'variance_weighted' ? 'variance_weighted_average' : raw;
  const numRegressors = checkNumber('r2Score', 'numRegressors', config.numRegressors ?? 0, {min: 0, integer: true, example: 3});
  const name = checkName('r2Score', config.name, 'r2_score');
  const spec = Object.freeze({id: 'trellis/r2Score', config: Object.freeze({classAggregation, numRegressors, name})});
  const check = (state: unknown): void =>
    checkStateKeys<R2State>(name, state, STATE_KEYS, '{squaredSum, sum, totalMse, count, numSamples}');
  return {
    spec,
    name,
    init: () => ({
      squaredSum: tf.zeros([0], 'float32') as tf.Tensor1D,
      sum: tf.zeros([0], 'float32') as tf.Tensor1D,
      totalMse: tf.zeros([0], 'float32') as tf.Tensor1D,
      count: tf.zeros([0], 'float32') as tf.Tensor1D,
      numSamples: tf.scalar(0, 'float32'),
    }),
    update(state, yTrue, yPred, sampleWeight) {
      check(state);
      const batch = checkBatch(name, yTrue, yPred, sampleWeight);
      const [ts, ps] = squeezedShapes(yTrue.shape, yPred.shape);
      if (ts.length !== 2 || ps.length !== 2 || ts[1] !== ps[1]) {
        throw new ShapeError(
          `${name}: expected yTrue and yPred of the same shape [batch, outputs] (as Keras' R2Score); ` +
            `got yTrue ${describe(yTrue)} and yPred ${describe(yPred)}.`,
        );
      }
      const outputs = ps[1]!;
      const seen = state.sum.shape[0]!;
      if (seen !== 0 && seen !== outputs) {
        throw new ShapeError(
          `${name}: this state has sums for ${seen} outputs, but yPred ${describe(yPred)} has ${outputs}. ` +
            `Every update of one state needs the same number of outputs; start a new state with init().`,
        );
      }
      return tf.tidy(() => {
        const [t, p] = squeezeOrExpand(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'));
        const w =
          sampleWeight === undefined
            ? tf.ones([batch, outputs], 'float32')
            : tf.broadcastTo(tf.reshape(tf.cast(sampleWeight, 'float32'), [batch, 1]), [batch, outputs]);
        const wt = tf.mul(t, w);
        const add = (old: tf.Tensor1D, v: tf.Tensor) => (old.size === 0 ? tf.sum(v, 0) : tf.add(old, tf.sum(v, 0))) as tf.Tensor1D;
        const nonZero = tf.any(tf.notEqual(w, 0), -1);
        return {
          sum: add(state.sum, wt),
          squaredSum: add(state.squaredSum, tf.mul(t, wt)),
          totalMse: add(state.totalMse, tf.mul(tf.square(tf.sub(t, p)), w)),
          count: add(state.count, w),
          numSamples: tf.add(state.numSamples, tf.sum(tf.cast(nonZero, 'float32'))) as tf.Scalar,
        };
      });
    },
    result(state) {
      check(state);
      return tf.tidy(() => {
        if (state.sum.size === 0) return classAggregation === null ? tf.zeros([0], 'float32') : tf.scalar(0, 'float32');
        const mean = tf.div(state.sum, state.count);
        const total = tf.sub(state.squaredSum, tf.mul(state.sum, mean));
        const scores = tf.sub(1, tf.div(state.totalMse, total));
        const rawScores = tf.where(tf.isInf(scores), tf.zerosLike(scores), scores);
        let r2: tf.Tensor =
          classAggregation === 'uniform_average'
            ? tf.mean(rawScores)
            : classAggregation === 'variance_weighted_average'
              ? tf.div(tf.sum(tf.mul(total, rawScores)), tf.sum(total))
              : rawScores;
        if (numRegressors !== 0) {
          const n = state.numSamples;
          const adjusted = tf.sub(1, tf.div(tf.mul(tf.sub(1, r2), tf.sub(n, 1)), tf.sub(tf.sub(n, numRegressors), 1)));
          r2 = tf.where(tf.broadcastTo(tf.less(numRegressors, tf.sub(n, 1)), r2.shape), adjusted, r2);
        }
        return r2;
      });
    },
    merge(a, b) {
      check(a);
      check(b);
      const [ca, cb] = [a.sum.shape[0]!, b.sum.shape[0]!];
      if (ca !== 0 && cb !== 0 && ca !== cb) {
        throw new ShapeError(`${name}: cannot merge a state of ${ca} outputs with one of ${cb} outputs.`);
      }
      return tf.tidy(() => {
        const out: Record<string, tf.Tensor> = {numSamples: tf.add(a.numSamples, b.numSamples)};
        for (const key of VECTORS) {
          out[key] = ca === 0 ? tf.clone(b[key]) : cb === 0 ? tf.clone(a[key]) : tf.add(a[key], b[key]);
        }
        return out as R2State;
      });
    },
  };
}
