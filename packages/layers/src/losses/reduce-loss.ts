import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, ShapeError, describe, optionKeys} from '@trellis/core';
import {formatShape} from '../layers/common';
import {knownOptions} from '../option-keys';

/**
 * How {@link reduceLoss} turns weighted per-sample losses into a value
 * (Keras 3's `reduction`, in camelCase):
 * - `'sumOverBatchSize'` (Keras' default) and `'mean'`: `sum(w·loss) / batch`;
 * - `'meanWithSampleWeight'`: `sum(w·loss) / sum(w)` (`/ batch` without weights);
 * - `'sum'`: `sum(w·loss)`;
 * - `'none'`: the weighted per-sample losses `w·loss`, `[batch]`.
 *
 * Divisions by 0 give 0 (Keras' `divide_no_nan`).
 */
export type LossReduction = 'sum' | 'sumOverBatchSize' | 'mean' | 'meanWithSampleWeight' | 'none';

/** The reductions {@link reduceLoss} accepts. */
export const lossReductions: readonly LossReduction[] = Object.freeze([
  'sum',
  'sumOverBatchSize',
  'mean',
  'meanWithSampleWeight',
  'none',
] as LossReduction[]);

/** Options of {@link reduceLoss}. */
export type ReduceLossOptions<R extends LossReduction = LossReduction> = {
  /** Default `'sumOverBatchSize'`, as in Keras. */
  readonly reduction?: R;
  /**
   * One weight per sample, `[batch]` or `[batch, 1]`, float32, int32 or bool
   * (cast to float32); not disposed. Default: every weight 1.
   */
  readonly sampleWeight?: tf.Tensor;
};

/** The names of {@link ReduceLossOptions}: what {@link reduceLoss} accepts. */
const REDUCE_LOSS_KEYS = optionKeys<ReduceLossOptions>({reduction: true, sampleWeight: true});

/**
 * Reduces the per-sample losses a {@link Loss} returns to what Keras'
 * `loss(yTrue, yPred, sample_weight)` returns under `reduction`:
 * `reduceLoss(loss(yTrue, yPred), {sampleWeight, reduction})`. Differentiable
 * (use it inside `tf.grad`).
 *
 * Matches Keras exactly when Keras' per-sample loss is `[batch]` (predictions
 * `[batch, features]`). For predictions with more axes, Trellis losses
 * average the extra axes into one value per sample, so `'sumOverBatchSize'`,
 * `'mean'` and weighted means agree with Keras, while `'sum'` is Keras' value
 * divided by the number of positions per sample. An empty batch gives 0 (Keras
 * returns the empty tensor).
 *
 * Shapes and dtypes: `perSample` `[batch]` float32. Returns a float32 scalar,
 * or `[batch]` for `'none'`: a new tensor owned by the caller; neither
 * `perSample` nor `sampleWeight` is disposed.
 *
 * @throws ShapeError when `perSample` is not `[batch]`, or `sampleWeight` is not `[batch]` or `[batch, 1]`.
 * @throws DTypeError for string or complex tensors.
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for an unknown reduction, or arguments that are not tensors.
 */
export function reduceLoss(perSample: tf.Tensor, options?: ReduceLossOptions<Exclude<LossReduction, 'none'>>): tf.Scalar;
export function reduceLoss(perSample: tf.Tensor, options: ReduceLossOptions<'none'>): tf.Tensor1D;
export function reduceLoss(perSample: tf.Tensor, options?: ReduceLossOptions): tf.Scalar | tf.Tensor1D;
export function reduceLoss(perSample: tf.Tensor, options: ReduceLossOptions = {}): tf.Scalar | tf.Tensor1D {
  const {reduction = 'sumOverBatchSize', sampleWeight} = knownOptions('reduceLoss', options, REDUCE_LOSS_KEYS);
  if (!lossReductions.includes(reduction)) {
    throw new ConfigError(
      `reduceLoss: reduction must be one of ${lossReductions.map((r) => `'${r}'`).join(', ')}; got ${describe(reduction)}.`,
    );
  }
  checkTensor('per-sample losses', perSample);
  if (perSample.rank !== 1) {
    throw new ShapeError(
      `reduceLoss: expected per-sample losses of shape [batch], as a Loss returns; got ${formatShape(perSample.shape)}. ` +
        'Reduce other axes first (tf.mean over them).',
    );
  }
  const batch = perSample.shape[0]!;
  if (sampleWeight !== undefined) {
    checkTensor('sampleWeight', sampleWeight);
    const s = sampleWeight.shape;
    if (!((s.length === 1 && s[0] === batch) || (s.length === 2 && s[0] === batch && s[1] === 1))) {
      throw new ShapeError(
        `reduceLoss: expected sampleWeight of shape [${batch}] or [${batch}, 1], one weight per sample; ` + `got ${formatShape(s)}.`,
      );
    }
  }
  return tf.tidy(() => {
    const losses = perSample.dtype === 'float32' ? perSample : tf.cast(perSample, 'float32');
    const weights = sampleWeight === undefined ? undefined : tf.reshape(tf.cast(sampleWeight, 'float32'), [batch]);
    const weighted = weights ? tf.mul(losses, weights) : tf.clone(losses);
    if (reduction === 'none') return weighted as tf.Tensor1D;
    const total = tf.sum(weighted);
    if (reduction === 'sum') return total as tf.Scalar;
    const divisor = reduction === 'meanWithSampleWeight' && weights ? tf.sum(weights) : tf.scalar(batch);
    // Keras' divide_no_nan, built from the divisor alone so that gradients flow only through `total`.
    const nonZero = tf.notEqual(divisor, 0);
    const safeDivisor = tf.where(nonZero, divisor, tf.onesLike(divisor));
    return tf.mul(tf.div(total, safeDivisor), tf.cast(nonZero, 'float32')) as tf.Scalar;
  });
}

function checkTensor(what: string, value: unknown): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    throw new ConfigError(`reduceLoss: ${what} must be a tensor; got ${describe(value)}.`);
  }
  if (value.dtype === 'string' || value.dtype === 'complex64') {
    throw new DTypeError(`reduceLoss: ${what} must be float32, int32 or bool; got ${value.dtype}.`);
  }
}
