/**
 * Penalties layers add to the loss in a forward pass (`CallContext.addLoss`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DTypeError, ShapeError, StateError} from '../errors';

/**
 * Collects the `addLoss(penalty)` calls of one batch's forward pass. The
 * collector keeps each penalty (it survives the layer's `tf.tidy`) and owns
 * it until `clear`. Usage per batch: `begin()`, the forward pass, `sumInto`
 * (inside the caller's tidy and, in training, inside the gradient function),
 * then `clear()` once the gradients are computed.
 */
export class AddedLosses {
  #pending: tf.Scalar[] | null = null;

  /** Records a penalty of the current batch; keeps it. */
  readonly record = (penalty: tf.Scalar): void => {
    if (!(penalty instanceof tf.Tensor) || penalty.rank !== 0) {
      const got = penalty instanceof tf.Tensor ? `a tensor of shape [${penalty.shape.join(', ')}]` : typeof penalty;
      throw new ShapeError(`addLoss needs a scalar tensor (reduce the penalty, e.g. with tf.sum); got ${got}.`);
    }
    if (penalty.dtype !== 'float32') {
      throw new DTypeError(`addLoss needs a float32 scalar; got ${penalty.dtype}. Cast it with tf.cast(penalty, 'float32').`);
    }
    if (!this.#pending) {
      throw new StateError('addLoss was called outside a forward pass of fit or evaluate; call it only from Layer.call.');
    }
    this.#pending.push(tf.keep(penalty));
  };

  /** Starts collecting a batch's penalties, dropping any left over. */
  begin(): void {
    this.clear();
    this.#pending = [];
  }

  /** `loss` plus the recorded penalties (a new tensor; `loss` is returned as is when there are none). */
  sumInto(loss: tf.Scalar): tf.Scalar {
    const pending = this.#pending ?? [];
    return pending.length === 0 ? loss : (tf.addN([loss, ...pending]) as tf.Scalar);
  }

  /** The penalties recorded for the current batch (owned by this object until `clear`). */
  get pending(): readonly tf.Scalar[] {
    return this.#pending ?? [];
  }

  /** Disposes the recorded penalties and stops collecting. */
  clear(): void {
    if (this.#pending) tf.dispose(this.#pending);
    this.#pending = null;
  }
}
