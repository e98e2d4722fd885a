/**
 * The activation type shared by activations and the layers that take one.
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from '@trellis/core';

/**
 * An element-wise (or last-axis) function with a spec, e.g. {@link relu}.
 * `activation(x)` returns a new float32 tensor of the shape of `x`, owned by
 * the caller; `x` is not disposed.
 */
export interface Activation<C extends Json = Json> extends Serializable<C> {
  (x: Tensor): Tensor;
}

/** The names of the built-in activations, as Keras spells them. */
export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** What layers accept for `activation`: a built-in name or an activation. */
export type ActivationIdentifier = ActivationName | Activation;

/** Config of the built-in activations: none. */
export type ActivationConfig = Record<string, never>;
