import * as tf from '@tensorflow/tfjs-core';
import {defineAlongAxisActivation} from './along-axis';
import type {ConfigurableActivation} from './types';

/** Config of {@link logSoftmax}. */
export type LogSoftmaxConfig = {
  /** The axis normalized over; negative counts from the end. Default -1 (Keras `axis=-1`). */
  readonly axis: number;
};

/**
 * The `logSoftmax` activation (spec id `trellis/logSoftmax`, Keras
 * `"log_softmax"`): `x_i - log(sum_j exp(x_j))` along `axis` (default the
 * last), computed as `tf.logSoftmax` does, after subtracting the maximum, so it
 * stays finite where `log(softmax(x))` would give `-Infinity`. Another axis:
 * `logSoftmax.with({axis: 1})`.
 *
 * Shapes: rank ≥ 1; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 *
 * @throws ShapeError for a scalar or an axis out of range.
 */
export const logSoftmax: ConfigurableActivation<LogSoftmaxConfig> = /* @__PURE__ */ defineAlongAxisActivation('logSoftmax', tf.logSoftmax);
