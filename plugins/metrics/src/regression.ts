import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, checkNumber, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName, meanMetric, type AccuracyState} from './accuracy-state';
import {sameShape, squeezeOrExpand, squeezedShapes} from './metric-checks';

/** Options of the regression metrics that take only a name. */
export type RegressionMetricConfig = {
  /** The log key; defaults to Keras' name of the metric (`'mean_squared_error'`, …). */
  readonly name?: string;
};

/** Options of {@link cosineSimilarity}. */
export type CosineSimilarityConfig = {
  /** The log key; default `'cosine_similarity'`. */
  readonly name?: string;
  /** The axis along which vectors are compared; an integer, default -1. */
  readonly axis?: number;
};

/** The state of the mean-based regression metrics: `{total, count}` float32 scalars (Keras' `Mean`). */
export type MeanState = AccuracyState;

const NAME_KEYS = optionKeys<RegressionMetricConfig>({name: true});
const COSINE_KEYS = optionKeys<CosineSimilarityConfig>({name: true, axis: true});
/** Keras' `backend.epsilon()`. */
const EPSILON = 1e-7;

/**
 * `yTrue` and `yPred` after Keras' rank alignment: `[batch]` against
 * `[batch, 1]` become `[batch, 1]`; a lone `[batch]` pair becomes `[batch, 1]`
 * too (one value per sample). Call inside `tf.tidy`.
 */
function aligned(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const [t, p] = squeezeOrExpand(tf.cast(yTrue, 'float32'), tf.cast(yPred, 'float32'));
  return t.rank === 1 ? [tf.expandDims(t, -1), tf.expandDims(p, -1)] : [t, p];
}

function checkAligned(name: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  const [t, p] = squeezedShapes(yTrue.shape, yPred.shape);
  if (!sameShape(t, p)) {
    throw new ShapeError(
      `${name}: yTrue must have the shape of yPred (or differ by a trailing 1, as [batch] vs [batch, 1]); ` +
        `got yTrue ${describe(yTrue)} and yPred ${describe(yPred)}.`,
    );
  }
}

/** A per-sample value of the aligned `yTrue` and `yPred` (`[batch, …]` → `[batch]`). */
type PerSample = (t: tf.Tensor, p: tf.Tensor) => tf.Tensor;

/**
 * The regression metric `who` (Keras' default name `kerasName`): a
 * `MeanMetricWrapper` over `perSample` of the aligned inputs.
 * @throws ConfigError for an invalid `name` or an unknown option.
 */
function regression(
  who: string,
  kerasName: string,
  config: RegressionMetricConfig,
  perSample: PerSample,
): Metric<MeanState, Required<RegressionMetricConfig>> {
  checkOptions(who, config, NAME_KEYS);
  const name = checkName(who, config.name, kerasName);
  return meanMetric(
    {id: `trellis/${who}`, config: {name}},
    (yTrue, yPred) => checkAligned(name, yTrue, yPred),
    (yTrue, yPred) => {
      const [t, p] = aligned(yTrue, yPred);
      return perSample(t, p);
    },
  );
}

/** The per-sample mean of `perElement` over the last axis. */
function lastAxisMean(perElement: PerSample): PerSample {
  return (t, p) => tf.mean(perElement(t, p), -1);
}

/** `(yTrue − yPred)²`, averaged over the last axis. */
const squaredError: PerSample = lastAxisMean((t, p) => tf.square(tf.sub(t, p)));

/** `|yTrue − yPred|`, averaged over the last axis. */
const absoluteError: PerSample = lastAxisMean((t, p) => tf.abs(tf.sub(t, p)));

/** `100 · mean(|yTrue − yPred| / max(|yTrue|, ε))` over the last axis. */
const absolutePercentageError: PerSample = (t, p) => {
  const diff = tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON)));
  return tf.mul(100, tf.mean(diff, -1));
};

/** `(log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))²`, averaged over the last axis. */
const squaredLogarithmicError: PerSample = lastAxisMean((t, p) =>
  tf.square(tf.sub(tf.log(tf.add(tf.maximum(p, EPSILON), 1)), tf.log(tf.add(tf.maximum(t, EPSILON), 1)))),
);

/** `log(cosh(yPred − yTrue))` as `x + softplus(−2x) − log 2`, averaged over the last axis. */
const logCosh: PerSample = lastAxisMean((t, p) => {
  const x = tf.sub(p, t);
  return tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2));
});

/**
 * Mean squared error: the (weighted) mean over samples of
 * `mean((yTrue − yPred)², axis −1)`. Keras: `keras.metrics.MeanSquaredError`.
 *
 * Shapes (all regression metrics): `yTrue` and `yPred` `[batch, ...]` of the
 * same shape, or differing by a trailing 1 (`[batch]` vs `[batch, 1]`); any
 * float dtype. The per-sample value averages the last axis, then any middle
 * axes (Keras' `MeanMetricWrapper`). `[batch]` inputs count one value per
 * sample. `sampleWeight`: `[batch]` or `[batch, 1]`. State `{total, count}`
 * (float32 scalars); result a float32 scalar, 0 before any update.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for an invalid `name` or an unknown option; updates throw a `ShapeError` for mismatched shapes.
 */
export function meanSquaredError(config: RegressionMetricConfig = {}): Metric<MeanState, Required<RegressionMetricConfig>> {
  return regression('meanSquaredError', 'mean_squared_error', config, squaredError);
}

/**
 * Root mean squared error: `sqrt` of the (weighted) mean of the squared
 * errors of every element. Keras: `keras.metrics.RootMeanSquaredError` (the
 * square root of the streamed mean, not a mean of batch roots). Shapes,
 * state and tensors as {@link meanSquaredError}.
 */
export function rootMeanSquaredError(config: RegressionMetricConfig = {}): Metric<MeanState, Required<RegressionMetricConfig>> {
  const base = regression('rootMeanSquaredError', 'root_mean_squared_error', config, squaredError);
  return {...base, result: (state) => tf.tidy(() => tf.sqrt(base.result(state)))};
}

/**
 * Mean absolute error: the (weighted) mean over samples of
 * `mean(|yTrue − yPred|, axis −1)`. Keras: `keras.metrics.MeanAbsoluteError`.
 * Shapes, state and tensors as {@link meanSquaredError}.
 */
export function meanAbsoluteError(config: RegressionMetricConfig = {}): Metric<MeanState, Required<RegressionMetricConfig>> {
  return regression('meanAbsoluteError', 'mean_absolute_error', config, absoluteError);
}

/**
 * Mean absolute percentage error:
 * `100 · mean(|yTrue − yPred| / max(|yTrue|, 1e-7), axis −1)`, averaged over
 * samples. Keras: `keras.metrics.MeanAbsolutePercentageError`. Shapes, state
 * and tensors as {@link meanSquaredError}.
 */
export function meanAbsolutePercentageError(config: RegressionMetricConfig = {}): Metric<MeanState, Required<RegressionMetricConfig>> {
  return regression('meanAbsolutePercentageError', 'mean_absolute_percentage_error', config, absolutePercentageError);
}

/**
 * Mean squared logarithmic error:
 * `mean((log(max(yPred, 1e-7) + 1) − log(max(yTrue, 1e-7) + 1))², axis −1)`,
 * averaged over samples. Keras: `keras.metrics.MeanSquaredLogarithmicError`.
 * Shapes, state and tensors as {@link meanSquaredError}.
 */
export function meanSquaredLogarithmicError(config: RegressionMetricConfig = {}): Metric<MeanState, Required<RegressionMetricConfig>> {
  return regression('meanSquaredLogarithmicError', 'mean_squared_logarithmic_error', config, squaredLogarithmicError);
}

/**
 * Log-cosh error: `mean(x + softplus(−2x) − log 2, axis −1)` with
 * `x = yPred − yTrue` (`log(cosh(x))`, computed without overflow), averaged
 * over samples. Keras: `keras.metrics.LogCoshError`, default name
 * `'logcosh'` as in Keras. Shapes, state and tensors as
 * {@link meanSquaredError}.
 */
export function logCoshError(config: RegressionMetricConfig = {}): Metric<MeanState, Required<RegressionMetricConfig>> {
  return regression('logCoshError', 'logcosh', config, logCosh);
}

/** Keras' `normalize(x, axis)` for order 2: `x · min(rsqrt(Σ x²), 1/ε)`. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const inv = tf.minimum(tf.rsqrt(tf.sum(tf.square(x), axis, true)), 1 / EPSILON);
  return tf.mul(x, inv);
}

/**
 * Cosine similarity: the (weighted) mean over samples of
 * `Σ normalize(yTrue) · normalize(yPred)` along `axis` (L2 normalization with
 * Keras' ε = 1e-7, so a zero vector gives 0). Keras:
 * `keras.metrics.CosineSimilarity`. Values lie in [−1, 1]; higher is more
 * similar. When the reduced result has more than the batch axis (e.g.
 * `axis: 1` on `[batch, d, k]`), the remaining axes are averaged per sample.
 * Shapes, state and tensors as {@link meanSquaredError}; `axis` must be an
 * axis of the aligned inputs other than the batch axis.
 *
 * @throws ConfigError for a non-integer `axis`, an invalid `name` or an unknown option.
 */
export function cosineSimilarity(config: CosineSimilarityConfig = {}): Metric<MeanState, Required<CosineSimilarityConfig>> {
  checkOptions('cosineSimilarity', config, COSINE_KEYS);
  const name = checkName('cosineSimilarity', config.name, 'cosine_similarity');
  const axis = checkNumber('cosineSimilarity', 'axis', config.axis ?? -1, {integer: true, example: -1});
  return meanMetric(
    {id: 'trellis/cosineSimilarity', config: {name, axis}},
    (yTrue, yPred) => {
      checkAligned(name, yTrue, yPred);
      const rank = Math.max(squeezedShapes(yTrue.shape, yPred.shape)[1].length, 2);
      const a = axis < 0 ? axis + rank : axis;
      if (a < 1 || a >= rank) {
        throw new ShapeError(
          `${name}: axis ${axis} is not a non-batch axis of inputs of rank ${rank} (yPred ${describe(yPred)}); use an axis in [1, ${rank - 1}] or −1.`,
        );
      }
    },
    (yTrue, yPred) => {
      const [t, p] = aligned(yTrue, yPred);
      return tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis);
    },
  );
}
