/**
 * `StatefulOptimizer`: the Keras-style object around a pure transform.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, describe} from './errors';
import type {Spec} from './spec/json';
import type {GradientTransform, UpdateExtras} from './spec/optimizer';
import type {NamedTensors, StateTree} from './spec/state';
import type {OptimizerState} from './spec/training-model';
import {cloneTree, disposeReplaced, extendTree, keepTree, treeMismatch} from './state-tree';

/** Variables keyed by name (`dense/kernel`). */
export type NamedVariables = Readonly<Record<string, tf.Variable>>;

/** What `getState()` returns and `setState()` takes. */
export type {OptimizerState};

/**
 * Owns a transform's state and applies its updates to variables, the way a
 * Keras optimizer does. State lives in tensors keyed by variable name, never
 * by position.
 *
 * Ownership: the optimizer owns its state tensors and disposes them on
 * `dispose()` or when they are replaced. It never disposes gradients or
 * variables passed to it.
 */
export class StatefulOptimizer {
  #state: StateTree | undefined;
  #names: readonly string[] = [];
  #step = 0;
  #scale = 1;

  /** @param transform - an optimizer (`adam({...})`) or any gradient transform. */
  constructor(readonly transform: GradientTransform) {
    if (!transform || typeof transform.init !== 'function' || typeof transform.update !== 'function') {
      throw new ConfigError(`Expected an optimizer (a gradient transform with init and update); got ${describe(transform)}.`);
    }
  }

  /** The optimizer's spec, when it has one. */
  get spec(): Spec | undefined {
    return (this.transform as {spec?: Spec}).spec;
  }

  /** Updates applied so far. */
  get step(): number {
    return this.#step;
  }

  /**
   * The learning rate of the next update: the transform's `learningRate`
   * (a number, or a schedule called with {@link step}), or undefined when
   * the transform has none. Computed on the host.
   */
  get learningRate(): number | undefined {
    const base = this.#baseLearningRate();
    return base === undefined ? undefined : base * this.#scale;
  }

  /** The factor {@link setLearningRate} put on the transform's learning rate (1 until it is called). */
  get learningRateScale(): number {
    return this.#scale;
  }

  /**
   * Sets the learning rate of the next updates (Keras'
   * `optimizer.learning_rate = rate`). The transform keeps its own rate or
   * schedule; the optimizer keeps a factor on it (passed to every update as
   * `extras.learningRateScale`), chosen so that the rate of the next update
   * is `rate`. With a schedule, later steps follow the schedule times that
   * factor. The factor is part of {@link getState}.
   * @throws ConfigError when `rate` is not a finite number >= 0 or the
   *   transform has no `learningRate`; StateError when the schedule is 0 at
   *   the current step (there is no factor that gives `rate`).
   */
  setLearningRate(rate: number): void {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new ConfigError(`setLearningRate expects a finite number >= 0; got ${describe(rate)}.`);
    }
    const base = this.#baseLearningRate();
    if (base === undefined) {
      throw new ConfigError(
        'setLearningRate: this optimizer has no learning rate to set (a bare gradient transform). ' +
          'Build it with a learningRate, e.g. adam({learningRate: 1e-3}), or chain scaleByLearningRate.',
      );
    }
    if (base === 0) {
      if (rate === 0) return;
      throw new StateError(
        `setLearningRate(${rate}): the optimizer's schedule is 0 at step ${this.#step}, so it cannot be scaled to ${rate}. ` +
          'Set the rate after the schedule leaves 0 (e.g. after warmup starts), or use a constant learning rate.',
      );
    }
    this.#scale = rate / base;
  }

  #baseLearningRate(): number | undefined {
    const rate = this.transform.learningRate;
    if (typeof rate === 'number') return rate;
    if (typeof rate === 'function') return rate(this.#step);
    return undefined;
  }

  /** Whether state exists (after `init` or the first update). */
  get initialized(): boolean {
    return this.#state !== undefined;
  }

  /** The variable names the state is keyed by. */
  get variableNames(): readonly string[] {
    return this.#names;
  }

  /** Creates fresh state for these variables, replacing (and disposing) any old state. */
  init(variables: NamedVariables): void {
    const fresh = keepTree(() => this.transform.init(variables));
    disposeReplaced(this.#state, fresh);
    this.#state = fresh;
    this.#names = Object.keys(variables).sort();
    this.#step = 0;
  }

  /**
   * Applies one update: `variable += update` for every named gradient.
   * `grads` names some or all of `variables`, with their shapes; a variable
   * without a gradient in this step (a frozen layer's) keeps its value and
   * its slots, as in Keras. A variable the state does not cover yet (a layer
   * unfrozen after `compile`, a layer added to the model) gets fresh slots
   * first, while the others keep theirs. Disposes neither `grads` nor `variables`.
   */
  applyGradients(grads: NamedTensors, variables: NamedVariables, extras?: UpdateExtras): void {
    if (this.#state === undefined) this.init(variables);
    this.#cover(grads, variables);
    const names = this.#checkNames(grads, variables);
    const old = this.#state!;
    const scaled = this.#scale === 1 ? extras : {...extras, learningRateScale: this.#scale};
    const state = applyUpdate(this.transform, grads, old, variables, names, scaled);
    disposeReplaced(old, state);
    this.#state = state;
    this.#step += 1;
  }

  /**
   * Sets the variables to their final values, as Keras' optimizer
   * `finalize_variable_values` does at the end of `fit` (with an EMA of the
   * weights: the moving averages). Asks the transform's optional `finalize`;
   * does nothing without state or without `finalize`. Values for names not in
   * `variables` are ignored. Neither the state nor the step changes; nothing
   * passed in is disposed.
   * @throws ShapeError when a final value's shape differs from its variable's.
   */
  finalize(variables: NamedVariables): void {
    const finalize = this.transform.finalize;
    if (this.#state === undefined || typeof finalize !== 'function') return;
    const state = this.#state;
    const values = tf.tidy(() => (finalize.call(this.transform, state, variables) ?? {}) as tf.NamedTensorMap);
    try {
      const names = Object.keys(values).filter((name) => variables[name] !== undefined);
      for (const name of names) {
        const v = variables[name]!;
        if (!tf.util.arraysEqual(values[name]!.shape, v.shape)) {
          throw new ShapeError(
            `The optimizer's final value of '${name}' has shape [${values[name]!.shape.join(', ')}]; the variable has [${v.shape.join(', ')}].`,
          );
        }
      }
      for (const name of names) variables[name]!.assign(values[name]!);
    } finally {
      tf.dispose(Object.values(values));
    }
  }

  /**
   * A copy of the state, keyed by variable name; the tensors are new and
   * owned by the caller.
   */
  getState(): OptimizerState {
    if (this.#state === undefined) {
      throw new StateError('The optimizer has no state yet: compile the model (or call init) first.');
    }
    const state = cloneTree(this.#state);
    return this.#scale === 1 ? {step: this.#step, state} : {step: this.#step, state, learningRateScale: this.#scale};
  }

  /**
   * Replaces the state with a copy of `saved` after checking that it has the
   * structure, names, shapes and dtypes of the current state; on mismatch
   * throws a `StateError` naming the first difference and changes nothing.
   * `saved` stays owned by the caller.
   */
  setState(saved: OptimizerState): void {
    if (this.#state === undefined) {
      throw new StateError('setState needs initialized state to check against: compile the model (or call init) first.');
    }
    if (saved === null || typeof saved !== 'object' || !Number.isInteger(saved.step) || saved.step < 0) {
      const step = saved !== null && typeof saved === 'object' ? ` with step ${describe((saved as {step?: unknown}).step)}` : '';
      throw new StateError(`Expected {step: integer >= 0, state}; got ${describe(saved)}${step}.`);
    }
    const scale = saved.learningRateScale ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0) {
      throw new StateError(`Saved optimizer state has learningRateScale ${describe(scale)}; expected a finite number >= 0.`);
    }
    const mismatch = treeMismatch(this.#state, saved.state);
    if (mismatch) {
      throw new StateError(
        `Saved optimizer state does not fit this model: ${mismatch}. Load state saved from the same model and optimizer.`,
      );
    }
    const copy = keepTree(() => cloneTree(saved.state));
    disposeReplaced(this.#state, copy);
    this.#state = copy;
    this.#step = saved.step;
    this.#scale = scale;
  }

  /** Disposes the state tensors. */
  dispose(): void {
    disposeReplaced(this.#state, undefined);
    this.#state = undefined;
    this.#names = [];
  }

  /**
   * Adds fresh slots for the variables of `grads` that the state lacks: the
   * transform's `init` over those variables, whose entries join the state
   * (step counters and the slots of covered variables stay as they are).
   */
  #cover(grads: NamedTensors, variables: NamedVariables): void {
    const added = Object.keys(grads).filter((name) => !this.#names.includes(name) && variables[name] !== undefined);
    if (added.length === 0) return;
    const fresh = keepTree(() => this.transform.init(Object.fromEntries(added.map((name) => [name, variables[name]!]))));
    const extended = extendTree(this.#state!, fresh);
    disposeReplaced(fresh, extended);
    this.#state = extended;
    this.#names = [...this.#names, ...added].sort();
  }

  /** The names to update: those of `grads`, each checked against the state, its variable and its shape. */
  #checkNames(grads: NamedTensors, variables: NamedVariables): string[] {
    const names = Object.keys(grads).sort();
    if (names.length === 0) throw new StateError('applyGradients got no gradients; pass at least one, by variable name.');
    for (const name of names) {
      if (!this.#names.includes(name)) {
        throw new StateError(
          `Got a gradient for '${name}', which the optimizer has no state for (it has [${this.#names.join(', ')}]). ` +
            'Call init(variables) again after adding variables.',
        );
      }
      const g = grads[name]!;
      const v = variables[name];
      if (v === undefined) throw new StateError(`Got a gradient for '${name}' but no variable of that name.`);
      if (!tf.util.arraysEqual(g.shape, v.shape)) {
        throw new ShapeError(`The gradient of '${name}' has shape [${g.shape.join(', ')}]; the variable has [${v.shape.join(', ')}].`);
      }
    }
    return names;
  }
}

/**
 * One update of `variables` by `transform`, the way every optimizer facade
 * applies it (`StatefulOptimizer`, and facades that hand Trellis transforms
 * to other frameworks): runs `transform.update` in `tf.tidy`, checks that an
 * update of the variable's shape came back for each of `names`, then
 * assigns `variable + update` to each. Returns the new state, kept; the
 * caller disposes `state` (the old one) once it has taken the new. Disposes
 * nothing it was given.
 * @throws StateError when the transform returns no update of the right shape
 *   for a name (nothing is assigned then).
 */
export function applyUpdate(
  transform: GradientTransform,
  grads: NamedTensors,
  state: StateTree,
  variables: NamedVariables,
  names: readonly string[],
  extras?: UpdateExtras,
): StateTree {
  const {next, values} = tf.tidy(() => {
    const result = transform.update(grads, state, variables, extras);
    const values: Record<string, tf.Tensor> = {};
    for (const name of names) {
      const update = result.updates[name];
      const variable = variables[name]!;
      if (!(update instanceof tf.Tensor) || !tf.util.arraysEqual(update.shape, variable.shape)) {
        throw new StateError(
          `The optimizer returned no update of shape [${variable.shape.join(', ')}] for '${name}'; got ${describe(update)}.`,
        );
      }
      values[name] = tf.add(variable, update);
    }
    return {next: result.state as tf.TensorContainer, values};
  });
  for (const name of names) {
    variables[name]!.assign(values[name]!);
    values[name]!.dispose();
  }
  return next as StateTree;
}
