/**
 * Non-trainable state updates of a training step (`CallContext.updateState`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {StateError} from '../errors';
import type {Weight} from '../model/weight-store';

/**
 * Collects the `updateState(variable, value)` calls of one training step's
 * forward pass and applies them after the optimizer update. Only the model's
 * non-trainable weights may be updated. The collector owns the kept values
 * until `apply` assigns them or `discard` drops them.
 */
export class StateUpdates {
  readonly #stateWeights: ReadonlyMap<tf.Variable, Weight>;
  #pending: Array<[tf.Variable, tf.Tensor]> = [];

  constructor(weights: readonly Weight[]) {
    this.#stateWeights = new Map(weights.filter((w) => !w.trainable).map((w) => [w.variable, w]));
  }

  /** Records `variable ← value`; keeps `value` (it survives the step's `tf.tidy`). */
  readonly record = (variable: tf.Variable, value: tf.Tensor): void => {
    const weight = this.#stateWeights.get(variable);
    if (!weight) {
      throw new StateError(
        `updateState was given the variable '${describeVariable(variable)}', which is not a non-trainable weight of ` +
          'this model; layers may update only the state weights they created with trainable: false.',
      );
    }
    if (!(value instanceof tf.Tensor) || !tf.util.arraysEqual(value.shape, variable.shape) || value.dtype !== variable.dtype) {
      const got = value instanceof tf.Tensor ? `[${value.shape.join(', ')}] ${value.dtype}` : typeof value;
      throw new StateError(`updateState for '${weight.name}' needs a tensor [${variable.shape.join(', ')}] ${variable.dtype}; got ${got}.`);
    }
    this.#pending.push([variable, tf.keep(value)]);
  };

  /** Assigns the recorded values in call order and disposes them. */
  apply(): void {
    const pending = this.#pending;
    this.#pending = [];
    try {
      for (const [variable, value] of pending) variable.assign(value);
    } finally {
      tf.dispose(pending.map(([, value]) => value));
    }
  }

  /** Drops the recorded values without assigning them (the step failed). */
  discard(): void {
    tf.dispose(this.#pending.map(([, value]) => value));
    this.#pending = [];
  }
}

function describeVariable(variable: unknown): string {
  return variable instanceof tf.Variable ? variable.name : typeof variable;
}
