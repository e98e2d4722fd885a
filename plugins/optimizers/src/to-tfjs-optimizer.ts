/**
 * `toTfjsOptimizer(optimizer)`: a Trellis optimizer as a `tf.Optimizer`, for
 * tfjs-layers' `model.compile`/`model.fit` and tfjs-core's `minimize`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  applyUpdate,
  ShapeError,
  StateError,
  describe,
  disposeReplaced,
  keepTree,
  tensorsIn,
  type GradientTransform,
  type Spec,
  type StateTree,
  type UpdateExtras,
} from '@trellis/core';
import {isTransformLike} from './checks';
import {ITERATIONS_NAME, growState, mapLeaves, stateLeaves, variableOfWeight, weightName} from './tfjs-optimizer-weights';

/** A named tensor as tfjs' optimizers and `io` use it (`{name, tensor}`). */
export type NamedTfjsTensor = {name: string; tensor: tf.Tensor};

/**
 * A `tf.Optimizer` that runs a Trellis optimizer (made by {@link toTfjsOptimizer}).
 *
 * It owns the transform's state: slots keyed by the tfjs variable names
 * (`dense_Dense1/kernel`), created at the first step for the variables that
 * step updates and grown when a later step brings new ones. A variable
 * without a gradient in a step keeps its value and its slots. The step counter
 * (`iterations`, the `count` the transform passes to its schedule) advances
 * once per `applyGradients`/`minimize`.
 *
 * Ownership: gradients and variables passed in are never disposed. The state
 * is disposed when replaced and on `dispose()`. Tensors returned by
 * `getWeights()` belong to the optimizer and stay valid until its next step,
 * `setWeights` or `dispose`; clone them to keep them longer.
 */
export class TrellisTfjsOptimizer extends tf.Optimizer {
  /** The class name tfjs-layers writes into a saved training config. */
  static get className(): string {
    return 'TrellisOptimizer';
  }

  #state: StateTree | undefined;
  #names: string[] = [];
  #step = 0;
  /** Scalars made by `getWeights` for the host numbers of the state. */
  #numberWeights: tf.Tensor[] | undefined;

  /** @param transform - the Trellis optimizer (or any gradient transform) to run. */
  constructor(readonly transform: GradientTransform) {
    super();
    if (!isTransformLike(transform)) {
      throw new ConfigError(
        `TrellisTfjsOptimizer expects a Trellis optimizer (an object with init and update); got ${describe(transform)}.`,
      );
    }
  }

  /** The Trellis optimizer's spec, when it has one. */
  get spec(): Spec | undefined {
    return (this.transform as {spec?: Spec}).spec;
  }

  /** Updates applied so far; the transform's schedules see this step (0 first). */
  override get iterations(): number {
    return this.#step;
  }

  /** The tfjs variable names the state holds slots for, sorted. */
  get variableNames(): readonly string[] {
    return this.#names;
  }

  /**
   * Computes the gradients of `f()` and applies them; the loss is passed to
   * the transform as `extras.loss`. Same contract as `tf.Optimizer.minimize`:
   * disposes the gradients, returns the cost (owned by the caller) only when
   * `returnCost`.
   */
  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const {value, grads} = this.computeGradients(f, varList);
    try {
      this.#apply(grads, {loss: value});
    } catch (error) {
      value.dispose();
      throw error;
    } finally {
      tf.dispose(grads);
    }
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /**
   * Applies one update, `variable += update`, to every variable (looked up by
   * name among tfjs' registered variables) that has a gradient. Entries whose
   * gradient is null or undefined are skipped: those variables keep their slots.
   * Each gradient is float32 with its variable's shape. Disposes nothing it is given.
   *
   * @throws ConfigError for gradients that are not tensors; StateError for a
   *   name with no registered variable; ShapeError for a gradient of the wrong shape.
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTfjsTensor[]): void {
    this.#apply(variableGradients, undefined);
  }

  /**
   * The state as named tensors: `iter` (int32 scalar, the step) first, as in
   * tfjs-core, then every leaf of the state tree in sorted key order. A slot
   * is named `<variable name>/<path of its record>`, e.g. for `adam()` (state
   * `[{count, mu, nu}, {count}]`): `dense_Dense1/kernel/0.mu`,
   * `dense_Dense1/kernel/0.nu`; for `sgd({momentum})`: `dense_Dense1/kernel/1.trace`.
   * Host counters become scalars named by their path (`0.count`; int32 when
   * integral, else float32). The tensors belong to the optimizer (see the class).
   */
  override async getWeights(): Promise<NamedTfjsTensor[]> {
    const leaves = this.#state === undefined ? [] : stateLeaves(this.#state, new Set(this.#names));
    if (this.#numberWeights === undefined) {
      const numbers = [this.#step, ...leaves.flatMap((l) => (typeof l.value === 'number' ? [l.value] : []))];
      this.#numberWeights = numbers.map((n) => tf.keep(tf.scalar(n, Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? 'int32' : 'float32')));
    }
    const numbers = [...this.#numberWeights];
    const out: NamedTfjsTensor[] = [{name: ITERATIONS_NAME, tensor: numbers.shift()!}];
    for (const leaf of leaves) out.push({name: leaf.name, tensor: typeof leaf.value === 'number' ? numbers.shift()! : leaf.value});
    return out;
  }

  /**
   * Replaces the state with copies of `weights` as `getWeights()` names them
   * (e.g. the `optimizer` group tfjs-layers saves with `includeOptimizer`),
   * and the step with their `iter`. The variables named
   * in slot weights must be registered (build the model first). The set of
   * names, shapes and dtypes is checked against the state `init` makes for
   * those variables; on a mismatch a `StateError` names the difference and
   * nothing changes. `weights` stay owned by the caller.
   */
  override async setWeights(weights: NamedTfjsTensor[]): Promise<void> {
    if (
      !Array.isArray(weights) ||
      weights.some((w) => w === null || typeof w !== 'object' || typeof w.name !== 'string' || !(w.tensor instanceof tf.Tensor))
    ) {
      throw new ConfigError(`setWeights expects an array of {name, tensor} as getWeights() returns; got ${describe(weights)}.`);
    }
    const byName = new Map(weights.map((w) => [w.name, w.tensor]));
    const iter = byName.get(ITERATIONS_NAME);
    if (iter === undefined || iter.size !== 1) {
      throw new StateError(
        `setWeights: expected a scalar '${ITERATIONS_NAME}' (the step) among the weights; got [${[...byName.keys()].join(', ')}]. ` +
          'Pass what getWeights() returned.',
      );
    }
    const variables = this.#registeredVariables(
      [...new Set([...byName.keys()].flatMap((n) => variableOfWeight(n) ?? []))].sort(),
      'setWeights',
    );
    const names = new Set(Object.keys(variables));
    const template = keepTree(() => this.transform.init(variables));
    try {
      const leaves = stateLeaves(template, names);
      checkWeightNames(
        leaves.map((l) => l.name),
        [...byName.keys()].filter((n) => n !== ITERATIONS_NAME),
      );
      const numbers = new Map<string, number>();
      for (const leaf of leaves) {
        const saved = byName.get(leaf.name)!;
        if (typeof leaf.value === 'number') {
          if (saved.size !== 1)
            throw new StateError(`setWeights: '${leaf.name}' is a counter and must be a scalar; got shape [${saved.shape.join(', ')}].`);
          numbers.set(leaf.name, (await saved.data())[0]!);
        } else if (saved.dtype !== leaf.value.dtype || !tf.util.arraysEqual(saved.shape, leaf.value.shape)) {
          throw new StateError(
            `setWeights: '${leaf.name}' must be [${leaf.value.shape.join(', ')}] ${leaf.value.dtype}; ` +
              `got [${saved.shape.join(', ')}] ${saved.dtype}. Load weights saved for this model and optimizer.`,
          );
        }
      }
      const step = (await iter.data())[0]!;
      if (!Number.isInteger(step) || step < 0)
        throw new StateError(`setWeights: '${ITERATIONS_NAME}' must be an integer >= 0; got ${step}.`);
      const state = mapLeaves(template, (path, leaf) => {
        const name = weightName(path, names);
        return typeof leaf === 'number' ? numbers.get(name)! : tf.keep(tf.clone(byName.get(name)!));
      });
      this.#replaceState(state);
      this.#names = [...names];
      this.#step = step;
      this.iterations_ = step;
    } finally {
      tf.dispose(tensorsIn(template));
    }
  }

  /**
   * The spec of the Trellis optimizer (`{id, config}`), which tfjs-layers
   * saves as the training config.
   * @throws ConfigError when the transform has no spec (a bare `chain`).
   */
  override getConfig(): tf.serialization.ConfigDict {
    const spec = this.spec;
    if (spec === undefined) {
      throw new ConfigError(
        'This optimizer has no spec, so it cannot be saved: use a named optimizer (adam(), sgd()) ' +
          'or attach one with withSpec({id, config}, transform) from @trellis/core.',
      );
    }
    return {id: spec.id, config: spec.config as tf.serialization.ConfigDictValue};
  }

  /** Disposes the state; a later step starts again from fresh state at step 0. */
  override dispose(): void {
    this.#replaceState(undefined);
    this.#names = [];
    this.#step = 0;
    this.iterations_ = 0;
  }

  #apply(input: tf.NamedTensorMap | NamedTfjsTensor[], extras: UpdateExtras | undefined): void {
    const grads = namedGradients(input);
    const names = Object.keys(grads).sort();
    const variables = this.#registeredVariables(names, 'applyGradients');
    for (const name of names) {
      if (!tf.util.arraysEqual(grads[name]!.shape, variables[name]!.shape)) {
        throw new ShapeError(
          `applyGradients: the gradient of '${name}' has shape [${grads[name]!.shape.join(', ')}]; the variable has [${variables[name]!.shape.join(', ')}].`,
        );
      }
    }
    this.#ensureSlots(variables);
    const state = applyUpdate(this.transform, grads, this.#state!, variables, names, extras);
    this.#replaceState(state);
    this.#step += 1;
    this.iterations_ = this.#step;
  }

  /** Creates state at the first step and grows it for variables it has no slots for. */
  #ensureSlots(variables: Record<string, tf.Variable>): void {
    const missing = Object.keys(variables).filter((name) => !this.#names.includes(name));
    if (this.#state !== undefined && missing.length === 0) return;
    const fresh = keepTree(() => this.transform.init(Object.fromEntries(missing.map((name) => [name, variables[name]!]))));
    if (this.#state === undefined) {
      this.#replaceState(fresh);
    } else {
      let grown: StateTree;
      try {
        grown = growState(this.#state, fresh);
      } catch (error) {
        tf.dispose(tensorsIn(fresh));
        throw error;
      }
      disposeReplaced(fresh, grown);
      this.#replaceState(grown);
    }
    this.#names = [...this.#names, ...missing].sort();
  }

  /** Keeps the new state's tensors (a caller's `tf.tidy` must not free them) and disposes what it replaces. */
  #replaceState(next: StateTree | undefined): void {
    for (const t of tensorsIn(next)) tf.keep(t);
    disposeReplaced(this.#state, next);
    this.#state = next;
    tf.dispose(this.#numberWeights ?? []);
    this.#numberWeights = undefined;
  }

  #registeredVariables(names: readonly string[], who: string): Record<string, tf.Variable> {
    const registered = tf.engine().registeredVariables;
    const out: Record<string, tf.Variable> = {};
    for (const name of names) {
      const variable = registered[name];
      if (variable === undefined) {
        throw new StateError(
          `${who}: no tfjs variable named '${name}' is registered (was its model disposed?). ` +
            'Build the model before loading optimizer weights, and pass gradients keyed by variable name.',
        );
      }
      out[name] = variable;
    }
    return out;
  }
}

/**
 * Wraps a Trellis optimizer (`adam()`, `sgd({momentum: 0.9})`, any gradient
 * transform) as a `tf.Optimizer` that `@tensorflow/tfjs-layers`' `model.compile({optimizer})`
 * and `model.fit`, and tfjs-core's `optimizer.minimize`, accept. It updates
 * the variables exactly as the Trellis optimizer does (Keras' formulas),
 * including learning-rate schedules, which see one step per batch.
 *
 * The state is keyed by the tfjs variable names; `getWeights()` returns it as
 * named tensors (see {@link TrellisTfjsOptimizer.getWeights}), so tfjs-layers'
 * `model.save(handler, {includeOptimizer: true})` saves it. Dispose the
 * returned optimizer when done (tfjs-layers does not dispose an optimizer it
 * was given).
 *
 * @example
 * const model = tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [3]})]});
 * model.compile({optimizer: toTfjsOptimizer(adam({learningRate: 1e-3})), loss: 'meanSquaredError'});
 * @throws ConfigError when `optimizer` is not a Trellis optimizer (for example a `tf.train.adam()`).
 */
export function toTfjsOptimizer(optimizer: GradientTransform): TrellisTfjsOptimizer {
  if (!isTransformLike(optimizer)) {
    const hint =
      optimizer !== null && typeof optimizer === 'object' && optimizer instanceof tf.Optimizer
        ? ' It is already a tf.Optimizer: pass it to compile directly.'
        : ' Pass a Trellis optimizer such as adam({learningRate: 1e-3}) or sgd({learningRate: 0.01, momentum: 0.9}).';
    throw new ConfigError(
      `toTfjsOptimizer expects a Trellis optimizer (an object with init and update); got ${describe(optimizer)}.${hint}`,
    );
  }
  return new TrellisTfjsOptimizer(optimizer);
}

/** The non-null gradients of `input` keyed by name, checked to be live tensors. */
function namedGradients(input: unknown): Record<string, tf.Tensor> {
  let entries: [string, unknown][];
  if (Array.isArray(input) && input.every((item) => item !== null && typeof item === 'object' && typeof item.name === 'string')) {
    entries = (input as NamedTfjsTensor[]).map(({name, tensor}) => [name, tensor]);
  } else if (input !== null && typeof input === 'object' && !Array.isArray(input) && !(input instanceof tf.Tensor)) {
    entries = Object.entries(input);
  } else {
    throw new ConfigError(
      `applyGradients expects gradients keyed by variable name ({'dense_Dense1/kernel': tensor} or [{name, tensor}]); got ${describe(input)}.`,
    );
  }
  const grads: Record<string, tf.Tensor> = {};
  for (const [name, tensor] of entries) {
    if (tensor === null || tensor === undefined) continue;
    if (!(tensor instanceof tf.Tensor) || tensor.isDisposed) {
      throw new ConfigError(`applyGradients: the gradient of '${name}' must be a live tensor; got ${describe(tensor)}.`);
    }
    grads[name] = tensor;
  }
  if (Object.keys(grads).length === 0) {
    throw new ConfigError('applyGradients got no gradients; pass at least one tensor keyed by variable name.');
  }
  return grads;
}

/** Throws a `StateError` unless `saved` holds exactly the `expected` weight names. */
function checkWeightNames(expected: readonly string[], saved: readonly string[]): void {
  const missing = expected.filter((n) => !saved.includes(n));
  const extra = saved.filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const list = (names: string[]) => names.map((n) => `'${n}'`).join(', ');
    throw new StateError(
      `setWeights: the weights do not fit this optimizer: ${missing.length ? `missing ${list(missing)}` : ''}${missing.length && extra.length ? '; ' : ''}${
        extra.length ? `unexpected ${list(extra)}` : ''
      }. Load weights that getWeights() returned for the same model and optimizer.`,
    );
  }
}
