/**
 * Layers.
 *
 * Contract version 1. A layer declares its weights in `build` through the
 * model's {@link BuildContext}; the model creates and owns the variables
 * (named `<layer>/<weight>`, e.g. `dense_1/kernel`) and disposes them.
 * @module
 */
import type {DataType, Scalar, Tensor, Variable} from '@tensorflow/tfjs-core';
import type {Constraint} from './constraint';
import type {Initializer} from './initializer';
import type {Json, Serializable} from './json';
import type {Regularizer} from './regularizer';

/** A shape without the batch dimension, e.g. `[784]` or `[28, 28, 1]`. */
export type Shape = readonly number[];

/** A weight a layer asks the model to create. */
export interface WeightRequest {
  /** Name within the layer, as Keras names it: `kernel`, `bias`, `moving_mean`. */
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
  /**
   * Schedules `variable.assign(value)` for a non-trainable state weight
   * (BatchNormalization's moving statistics, Keras' in-call `assign`).
   * Present only in `fit`'s training step, which applies the updates in call
   * order after the optimizer update and the weight constraints, so the
   * forward pass and the gradients of the step see the old values and a step
   * that throws changes no state. Evaluate and predict pass no `updateState`:
   * layers call it as `context.updateState?.(variable, value)`.
   *
   * `variable` must be a weight of the model with `trainable: false`, and
   * `value` a tensor of its shape and dtype; the context keeps `value` (even
   * inside `tf.tidy`) and disposes it once assigned. The layer must not
   * dispose it. Throws a `StateError` otherwise.
   */
  readonly updateState?: (variable: Variable, value: Tensor) => void;
  /**
   * Adds a penalty computed in the forward pass to the loss (Keras'
   * `Layer.add_loss`, which `activity_regularizer` uses). `penalty` is a
   * float32 scalar.
   *
   * In `fit`'s training step the penalties of the batch are summed into the
   * step's total loss inside the gradient computation, so gradients flow
   * through them, and the reported `loss` includes them. `evaluate` and
   * validation also pass `addLoss` and add the penalties to the batch's loss
   * (no gradients), as Keras' test step does; `predict` passes none. Layers
   * call it as `context.addLoss?.(penalty)`.
   *
   * The context keeps `penalty` (even inside `tf.tidy`) and disposes it after
   * the batch; the layer must not dispose it. Throws a `ShapeError` for a
   * non-scalar and a `DTypeError` for a dtype other than float32.
   */
  readonly addLoss?: (penalty: Scalar) => void;
  /**
   * Present only in training steps that a callback inspects
   * (`Callback.onStepInspect`): the models call it with each layer and its
   * output after calling the layer. Layers never call it.
   */
  readonly recordOutput?: (layer: Layer, output: Tensor) => void;
}

/** A layer of a `Sequential` model. */
export interface Layer<C extends Json = Json> extends Serializable<C> {
  /** Unique within a model; the model assigns one (`dense`, `dense_1`) when empty. */
  name: string;
  /**
   * Whether the layer trains (Keras' `layer.trainable`; absent means true).
   * Setting it to `false` freezes every weight of the layer from the next
   * training step on, without recompiling: the optimizer skips them, keeps
   * their slots (state is keyed by name), and their regularization penalties
   * leave the loss, as in Keras. A layer may also change its behaviour when
   * frozen (batch normalization then runs in inference mode).
   */
  trainable?: boolean;
  /** The input shape (without batch) when the layer is first in a model and declares it. */
  readonly inputShape?: Shape;
  /** Creates weights for `inputShape` and returns the output shape (without batch). */
  build(inputShape: Shape, context: BuildContext): Shape;
  /**
   * The output shape (without batch) for inputs of shape `[batch, ...inputShape]`
   * (Keras' `compute_output_shape`). Pure: creates no weights and no tensors,
   * changes nothing, and works before and after `build`. It validates
   * `inputShape` and throws exactly the errors `build` would (a `ShapeError`
   * naming the layer and the shapes); `build` returns the same shape.
   *
   * Optional, so layers written without it keep working; call it through
   * `outputShapeOf(layer, inputShape)`, which says what to do when it is missing.
   */
  computeOutputShape?(inputShape: Shape): Shape;
  /**
   * Computes the layer. `input` has shape `[batch, ...inputShape]`; returns a
   * new tensor; disposes nothing (the caller runs it inside `tf.tidy`).
   */
  call(input: Tensor, context: CallContext): Tensor;
}

/**
 * A layer that takes a list of inputs and returns one output (Keras' merge
 * layers: `Add`, `Subtract`, `Concatenate`, …), for models that wire several
 * inputs together. It is not a {@link Layer}: `Sequential` passes one tensor
 * along and cannot hold it. Tell the two apart with {@link isMultiInputLayer}.
 */
export interface MultiInputLayer<C extends Json = Json> extends Serializable<C> {
  /** Unique within a model; the model assigns one (`add`, `add_1`) when empty. */
  name: string;
  /** Marks the contract at run time (what {@link isMultiInputLayer} checks). */
  readonly multiInput: true;
  /**
   * Checks the input shapes (each without the batch dimension, one per input,
   * in order), creates any weights, and returns the output shape (without
   * batch). Throws a `ShapeError` for shapes the layer cannot combine.
   */
  build(inputShapes: readonly Shape[], context: BuildContext): Shape;
  /**
   * The output shape (without batch) for inputs of shapes `inputShapes` (each
   * without batch, one per input), as {@link Layer.computeOutputShape}: pure,
   * creates no weights or tensors, works before and after `build`, throws
   * exactly the errors `build` would, and returns what `build` returns.
   */
  computeOutputShape?(inputShapes: readonly Shape[]): Shape;
  /**
   * Computes the layer. `inputs[i]` has shape `[batch, ...inputShapes[i]]`,
   * the same `batch` for every input; returns a new tensor and disposes
   * nothing (neither the inputs nor the array).
   */
  call(inputs: readonly Tensor[], context: CallContext): Tensor;
}

/**
 * Whether `layer` takes a list of inputs ({@link MultiInputLayer}) rather than
 * one tensor ({@link Layer}). Checks the `multiInput` marker, so it works for
 * objects from any copy of the package.
 */
export function isMultiInputLayer(layer: unknown): layer is MultiInputLayer {
  return (
    (typeof layer === 'object' || typeof layer === 'function') && layer !== null && (layer as {multiInput?: unknown}).multiInput === true
  );
}
