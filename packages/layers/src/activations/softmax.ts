import * as tf from '@tensorflow/tfjs-core';
import {defineAlongAxisActivation} from './along-axis';
import type {ConfigurableActivation} from './types';

/** Config of {@link softmax}. */
export type SoftmaxConfig = {
  /** The axis normalized over; negative counts from the end. Default -1 (Keras `axis=-1`). */
  readonly axis: number;
};

/**
 * The `softmax` activation (spec id `trellis/softmax`, Keras `"softmax"`):
 * `exp(x_i) / sum_j exp(x_j)` along `axis` (default the last), computed after
 * subtracting the maximum so large logits do not overflow. Another axis:
 * `softmax.with({axis: 1})`.
 *
 * Shapes: rank ≥ 1; the result has the shape of `x` and each slice along the
 * axis sums to 1. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 *
 * @throws ShapeError for a scalar (there is no axis to normalize over) or an axis out of range.
 */
export const softmax: ConfigurableActivation<SoftmaxConfig> = /* @__PURE__ */ defineAlongAxisActivation('softmax', tf.softmax);
