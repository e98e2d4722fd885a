/**
 * Layers.
 *
 * Contract version 1. A layer declares its weights in `build` through the
 * model's {@link BuildContext}; the model creates and owns the variables
 * (named `<layer>/<weight>`, e.g. `dense_1/kernel`) and disposes them.
 * @module
 */
import type {DataType, Tensor, Variable} from '@tensorflow/tfjs-core';
import type {Constraint} from './constraint';
import type {Initializer} from './initializer';
import type {Json, Serializable} from './json';
import type {Regularizer} from './regularizer';

/** A shape without the batch dimension, e.g. `[784]` or `[28, 28, 1]`. */
export type Shape = readonly number[];

/** A weight a layer asks the model to create. */
export interface WeightRequest {
  /** Name within the layer: `kernel`, `bias`, `movingMean`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: DataType;
  readonly initializer: Initializer;
  /** Whether the optimizer updates it (default true). */
  readonly trainable?: boolean;
  readonly regularizer?: Regularizer;
  readonly constraint?: Constraint;
}

/** What the model hands a layer in `build`. */
export interface BuildContext {
  /** Creates (and registers with the model) a variable; the model owns it. */
  addWeight(request: WeightRequest): Variable;
}

/** What the model hands a layer in `call`. */
export interface CallContext {
  /** True inside `fit`'s training step; false in evaluate and predict. */
  readonly training: boolean;
  /** A fresh seed from the model's seeded stream (for dropout and noise). */
  nextSeed(): number;
}

/** A layer of a `Sequential` model. */
export interface Layer<C extends Json = Json> extends Serializable<C> {
  /** Unique within a model; the model assigns one (`dense`, `dense_1`) when empty. */
  name: string;
  /** The input shape (without batch) when the layer is first in a model and declares it. */
  readonly inputShape?: Shape;
  /** Creates weights for `inputShape` and returns the output shape (without batch). */
  build(inputShape: Shape, context: BuildContext): Shape;
  /**
   * Computes the layer. `input` has shape `[batch, ...inputShape]`; returns a
   * new tensor; disposes nothing (the caller runs it inside `tf.tidy`).
   */
  call(input: Tensor, context: CallContext): Tensor;
}
