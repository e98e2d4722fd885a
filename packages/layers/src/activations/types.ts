/**
 * The activation type shared by activations and the layers that take one.
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from '@trellis/core';

/**
 * An element-wise (or per-axis) function with a spec, e.g. {@link relu}.
 * `activation(x)` returns a new float32 tensor of the shape of `x`, owned by
 * the caller; `x` is not disposed.
 */
export interface Activation<C extends Json = Json> extends Serializable<C> {
  (x: Tensor): Tensor;
}

/**
 * A built-in activation with options (e.g. {@link leakyRelu}): its spec
 * config holds every option, and `with(options)` returns a new activation
 * with the given options changed (the others keep their values), e.g.
 * `leakyRelu.with({negativeSlope: 0.1})`. Throws ConfigError for an unknown
 * option or a bad value.
 */
export interface ConfigurableActivation<C extends Json = Json> extends Activation<C> {
  with(options: Partial<C>): ConfigurableActivation<C>;
}

/**
 * The names of the built-in activations: Keras' names in camelCase
 * (`leakyRelu` for Keras `"leaky_relu"`), plus `silu`, Keras' other name of
 * `swish`.
 */
export type ActivationName =
  | 'elu'
  | 'gelu'
  | 'hardSigmoid'
  | 'leakyRelu'
  | 'linear'
  | 'logSoftmax'
  | 'mish'
  | 'relu'
  | 'relu6'
  | 'selu'
  | 'sigmoid'
  | 'silu'
  | 'softmax'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'tanh';

/** Keras' snake_case spellings of the built-in activations whose names differ (`'leaky_relu'` is `'leakyRelu'`). */
export type KerasActivationName = 'hard_sigmoid' | 'leaky_relu' | 'log_softmax';

/** What layers accept for `activation`: a built-in name (Trellis' or Keras' spelling) or an activation. */
export type ActivationIdentifier = ActivationName | KerasActivationName | Activation;

/**
 * How a layer config stores its activation: a built-in name (`'relu'`), a
 * custom activation's spec id, or, for a built-in with options other than its
 * defaults, its spec (`{id: 'trellis/leakyRelu', config: {negativeSlope: 0.1}}`).
 */
export type ActivationJson = string | {readonly id: string; readonly config: Json};

/** Config of the built-in activations without options: none. */
export type ActivationConfig = Record<string, never>;
