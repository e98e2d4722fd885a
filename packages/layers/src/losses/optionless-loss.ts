/**
 * Builders of the built-in losses that take no options (internal): their
 * config is `{}` and their predictions are never logits.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Loss, TargetKind} from '@trellis/core';
import {makeLoss, perSample, toFloat} from './common';

/**
 * The loss `name` (id `trellis/<name>`) of kind `targetKind`, config `{}`,
 * on probabilities, whose per-sample loss `[batch]` is `compute(yTrue, yPred)`
 * (`yTrue` already checked against `yPred`, `yPred` float32; run inside a
 * tidy, see {@link makeLoss}).
 */
export function optionlessLoss(
  name: string,
  targetKind: TargetKind,
  compute: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor1D,
): Loss<Record<string, never>> {
  return makeLoss({name, config: {}, targetKind, fromLogits: false, compute});
}

/**
 * The regression loss `name` (see {@link optionlessLoss}) that averages the
 * element-wise `cost(t, yPred)` over the non-batch axes: `t` is `yTrue` as
 * float32 with the prediction's shape, `yPred` float32; `cost` returns a
 * tensor of that shape (called inside a tidy).
 */
export function pointwiseLoss(name: string, cost: (t: tf.Tensor, yPred: tf.Tensor) => tf.Tensor): Loss<Record<string, never>> {
  return optionlessLoss(name, 'regression', (yTrue, yPred) => perSample(cost(tf.reshape(toFloat(yTrue), yPred.shape), yPred)));
}
