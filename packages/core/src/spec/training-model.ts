/**
 * What the training loop and its callbacks see of a model.
 *
 * Contract version 1.
 * @module
 */
import type {Tensor, Variable} from '@tensorflow/tfjs-core';
import type {NamedTensors, StateTree} from './state';

/** An optimizer's state (`getState()`/`setState()`): the step counter and the transform's state, keyed by variable name. */
export type OptimizerState = {
  /** Updates applied so far. */
  readonly step: number;
  /** The transform's state; slots are keyed by variable name. */
  readonly state: StateTree;
  /**
   * The factor `setLearningRate` put on the learning rate; absent means 1
   * (state saved before the rate was ever set).
   */
  readonly learningRateScale?: number;
};

/** What a callback sees of the compiled optimizer: where it is, and its rate. */
export interface TrainingOptimizer {
  /** Updates applied so far. */
  readonly step: number;
  /**
   * The learning rate of the next update, computed on the host (no
   * readback): the optimizer's number, or its schedule at `step`. Undefined
   * for a transform without a `learningRate`.
   */
  readonly learningRate: number | undefined;
  /**
   * Sets the learning rate of the next updates (Keras'
   * `optimizer.learning_rate = value`), as `ReduceLROnPlateau` and
   * `LearningRateScheduler` do. With a schedule, the schedule is scaled so
   * that its value at the current step becomes `rate` (later steps follow
   * the schedule, scaled). The scale is part of the optimizer's state
   * (`getState`/`setState`), so a restored run continues with it.
   * @throws ConfigError when `rate` is not a finite number >= 0, or the
   *   optimizer has no learning rate (a bare gradient transform);
   *   StateError when a schedule is 0 at the current step (nothing to scale).
   */
  setLearningRate(rate: number): void;
  /** A copy of the state (new tensors, owned by the caller). */
  getState(): OptimizerState;
  /** Replaces the state with a copy of `saved`, after checking it fits (`saved` stays the caller's). */
  setState(saved: OptimizerState): void;
}

/** The per-epoch logs of a fit (Keras' `History`). */
export interface FitHistory {
  /** The epochs that ran, counted from 0. */
  readonly epoch: readonly number[];
  /** Each log key to its value per epoch. */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** Where the training loss first became NaN or infinite, or null. */
  readonly firstNonFinite: {readonly epoch: number; readonly batch: number} | null;
}

/** The model a fit trains (`FitContext.model`): every Trellis model is one. */
export interface TrainingModel {
  readonly name: string;
  /** The weights the optimizer updates now (frozen layers' excluded). */
  readonly trainableWeights: readonly {readonly name: string; readonly variable: Variable}[];
  /** The compiled optimizer. */
  readonly optimizer: TrainingOptimizer;
  /** The History of the running (or last) fit, or null. */
  readonly history: FitHistory | null;
  /** Copies of every weight by name; the caller owns them. */
  getWeights(): Record<string, Tensor>;
  /** Assigns weights by name, checking all of them first. `values` stays the caller's. */
  setWeights(values: NamedTensors, options?: {strict?: boolean}): void;
}
