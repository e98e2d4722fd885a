/**
 * The compiled loss of a batch, over one output or several.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Compiled} from '../model/options';
import {reduceLoss} from './sample-weights';
import {listOf, type Tensors} from './tensors';

/**
 * Keras' compiled loss: for each output `i`, its loss reduced over the batch
 * (`sum(w_i · loss_i) / batch` with per-sample weights `w_i`, the mean
 * without), times `lossWeights[i]` when given, summed over the outputs.
 * `yTrue`, `yPred` and `w` are tensors for a one-output model, arrays (in
 * output order) for several. Returns new scalars: the `total`, and with
 * several outputs each output's reduced loss before `lossWeights` (what Keras
 * logs as `<output>_loss`), else null. Disposes nothing (call it inside `tf.tidy`).
 */
export function computeLoss(
  compiled: Pick<Compiled, 'losses' | 'lossWeights'>,
  yTrue: Tensors,
  yPred: Tensors,
  w: Tensors | null,
): {total: tf.Scalar; outputs: tf.Scalar[] | null} {
  const ys = listOf(yTrue);
  const ps = listOf(yPred);
  const ws = w === null ? null : listOf(w);
  const outputs = compiled.losses.map((loss, i) => reduceLoss(loss(ys[i]!, ps[i]!), ws ? ws[i]! : null));
  const terms = outputs.map((value, i) => {
    const weight = compiled.lossWeights?.[i];
    return weight === undefined ? value : (tf.mul(value, weight) as tf.Scalar);
  });
  const total = terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar);
  return {total, outputs: outputs.length > 1 ? outputs : null};
}
