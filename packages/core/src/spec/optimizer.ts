/**
 * Gradient transforms (optax) and optimizers.
 *
 * Contract version 1. A transform is a pair of pure functions over tensors
 * keyed by variable name. It never disposes its inputs and never assigns
 * variables; the caller (the fit loop or `StatefulOptimizer`) runs it inside
 * `tf.tidy`, keeps the new state and disposes the old one. Because state is
 * keyed by name, freezing or adding a layer never mismatches slots.
 * @module
 */
import type {Scalar} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from './json';
import type {NamedTensors, StateTree} from './state';

/** Extra, optional inputs of an update; transforms ignore keys they do not know. */
export interface UpdateExtras {
  /** The batch loss, for transforms that use it. Not owned by the transform. */
  readonly loss?: Scalar;
  /**
   * A factor on the learning rate, set at run time through
   * `optimizer.setLearningRate` (`ReduceLROnPlateau`); absent means 1. A
   * transform with a `learningRate` multiplies the rate it uses by it, so
   * setting the rate works for it.
   */
  readonly learningRateScale?: number;
  readonly [key: string]: unknown;
}

/** The result of {@link GradientTransform.update}; both fields are owned by the caller. */
export interface TransformResult<S extends StateTree = StateTree> {
  /** What to add to each parameter (already signed: `param += update`). */
  readonly updates: NamedTensors;
  readonly state: S;
}

/** An optax-style gradient transformation. */
export interface GradientTransform<S extends StateTree = StateTree> {
  /**
   * The initial state for these parameters (e.g. zero moments keyed by name).
   * Returned tensors are new and owned by the caller; `params` is not disposed.
   */
  init(params: NamedTensors): S;
  /**
   * Transforms gradients into updates. `grads` has the same names, shapes and
   * dtypes (float32) as `params`. Disposes nothing; returns new tensors.
   */
  update(grads: NamedTensors, state: S, params?: NamedTensors, extras?: UpdateExtras): TransformResult<S>;
  /**
   * Optional: the final values of the parameters at the end of training
   * (Keras' `finalize_variable_values`, which `fit` calls after the last
   * epoch; e.g. the moving averages of an EMA of the weights). Returns new
   * tensors keyed by name, owned by the caller, for some or all of `params`
   * (the caller assigns them), or `undefined` when nothing changes. Disposes
   * nothing and does not change `state`.
   */
  finalize?(state: S, params: NamedTensors): NamedTensors | undefined;
  /**
   * Optional: the learning rate, a number or a schedule of the update count
   * (`adam({learningRate})` has one). Loops and callbacks read the rate of
   * the next update through it (`StatefulOptimizer.learningRate`).
   */
  readonly learningRate?: number | ((step: number) => number);
}

/** A transform that can be saved and rebuilt: `adam({learningRate: 1e-3})`. */
export interface Optimizer<C extends Json = Json, S extends StateTree = StateTree> extends GradientTransform<S>, Serializable<C> {}
