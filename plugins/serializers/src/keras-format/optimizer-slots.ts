/**
 * Trellis optimizer state ↔ Keras' optimizer variables, in Keras' own order:
 * `iteration`, `learning_rate`, then the slots of each `build` call
 * (`add_optimizer_variables` interleaves the names of one call per model
 * variable: Adam's `momentum, velocity` of the first variable, of the
 * second, ...; a later call, such as AMSGrad's `velocity_hat`, follows),
 * over `model.trainable_variables` (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  ShapeError,
  StateError,
  type NamedVariables,
  type OptimizerState,
  type Spec,
  type StateTree,
  type StatefulOptimizer,
  type Weight,
} from '@trellis/core';
import type {KerasArray} from '@trellis/keras-files';
import {isObject} from '../keras-config/types';
import {arrayOfTensor, numberOfArray, tensorOfArray} from './arrays';

/** One slot: the key of its record in the Trellis state tree and Keras' name for it. */
type Slot = {readonly key: string; readonly keras: string; readonly negate?: boolean};

/** How an optimizer's state maps to Keras' variables. */
type Layout = {
  /** Keras' default optimizer name (the prefix of its variable paths). */
  readonly name: string;
  /** The slot names of each `add_optimizer_variables` call, in call order. */
  readonly calls: readonly (readonly Slot[])[];
  /** Scalars Keras keeps after the slots (a number in the Trellis state under `key`). */
  readonly scalars: readonly Slot[];
};

/**
 * The layout of a Trellis optimizer spec (`trellis/sgd`, `adam`, `adamw`,
 * `rmsprop`, `adagrad`, `adadelta`, `adamax`, `nadam`, `lion`).
 * @throws ConfigError for an optimizer whose state Keras cannot represent.
 */
function layoutOf(spec: Spec | undefined): Layout {
  const config = (isObject(spec?.config) ? spec.config : {}) as Record<string, unknown>;
  const s = (key: string, keras: string, negate = false): Slot => ({key, keras, ...(negate ? {negate} : {})});
  switch (spec?.id) {
    case 'trellis/sgd':
      return {name: 'sgd', calls: (config.momentum as number) > 0 ? [[s('trace', 'momentum')]] : [], scalars: []};
    case 'trellis/adam':
    case 'trellis/adamw':
      return {
        name: spec.id === 'trellis/adam' ? 'adam' : 'adamw',
        calls: [[s('mu', 'momentum'), s('nu', 'velocity')], ...(config.amsgrad === true ? [[s('nuMax', 'velocity_hat')]] : [])],
        scalars: [],
      };
    case 'trellis/rmsprop':
      return {
        name: 'rmsprop',
        calls: [
          [s('nu', 'velocity')],
          // Trellis' trace holds the update (-lr · g / rms); Keras' momentum what is subtracted.
          ...((config.momentum as number) > 0 ? [[s('trace', 'momentum', true)]] : []),
          ...(config.centered === true ? [[s('mu', 'average_gradient')]] : []),
        ],
        scalars: [],
      };
    case 'trellis/adagrad':
      return {name: 'adagrad', calls: [[s('sumOfSquares', 'accumulator')]], scalars: []};
    case 'trellis/adadelta':
      return {name: 'adadelta', calls: [[s('nu', 'accumulated_grad'), s('deltaNu', 'accumulated_delta_var')]], scalars: []};
    case 'trellis/adamax':
      return {name: 'adamax', calls: [[s('mu', 'momentum'), s('nu', 'norm')]], scalars: []};
    case 'trellis/nadam':
      return {name: 'nadam', calls: [[s('mu', 'momentum'), s('nu', 'velocity')]], scalars: [s('uProduct', 'u_product')]};
    case 'trellis/lion':
      return {name: 'lion', calls: [[s('mu', 'momentum')]], scalars: []};
    default:
      throw new ConfigError(
        `The optimizer ${spec ? `'${spec.id}'` : '(a gradient transform without a spec)'} has no Keras equivalent, so its state cannot be written to a Keras file. ` +
          'Use sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam or lion without Trellis-only options, or save with {includeOptimizer: false}.',
      );
  }
}

/** Keras' default name of a Trellis optimizer spec (`adam`), for `compile_config` and variable paths. */
export function kerasOptimizerName(spec: Spec | undefined): string {
  return layoutOf(spec).name;
}

/** The record `{[variable]: tensor}` under `key` somewhere in `tree` (the first found, depth first). */
function findRecord(tree: StateTree | undefined, key: string): Record<string, tf.Tensor> | undefined {
  if (tree === undefined || typeof tree === 'number' || tree instanceof tf.Tensor) return undefined;
  if (Array.isArray(tree)) {
    for (const child of tree) {
      const found = findRecord(child as StateTree, key);
      if (found) return found;
    }
    return undefined;
  }
  const record = tree as Record<string, StateTree>;
  const value = record[key];
  if (value !== undefined && typeof value === 'object' && !(value instanceof tf.Tensor) && !Array.isArray(value))
    return value as Record<string, tf.Tensor>;
  for (const child of Object.values(record)) {
    const found = findRecord(child, key);
    if (found) return found;
  }
  return undefined;
}

/** Sets every number under `key` in `tree` to `value`. */
function setNumbers(tree: StateTree | undefined, key: string, value: number): void {
  if (tree === undefined || typeof tree === 'number' || tree instanceof tf.Tensor) return;
  if (Array.isArray(tree)) {
    for (const child of tree) setNumbers(child as StateTree, key, value);
    return;
  }
  const record = tree as Record<string, StateTree>;
  for (const [k, child] of Object.entries(record)) {
    if (k === key && typeof child === 'number') record[k] = value;
    else setNumbers(child, key, value);
  }
}

/** The first number under `key` in `tree`. */
function findNumber(tree: StateTree | undefined, key: string): number | undefined {
  if (tree === undefined || typeof tree === 'number' || tree instanceof tf.Tensor) return undefined;
  for (const [k, child] of Array.isArray(tree) ? tree.map((c, i) => [String(i), c] as const) : Object.entries(tree)) {
    if (k === key && typeof child === 'number') return child;
    const found = findNumber(child as StateTree, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Keras' optimizer variables as arrays, with their Keras paths (`adam/dense_kernel_momentum`). */
export type KerasOptimizerVariables = {readonly names: string[]; readonly arrays: KerasArray[]};

/**
 * The optimizer's state as Keras' optimizer variables, in Keras' order over
 * `trainable` (the model's trainable weights in Keras' order). A variable
 * the state does not cover yet (or every variable, before the first update)
 * gets the fresh slots of the optimizer's `init`. Reads tensors back to the
 * host; disposes what it made and nothing of the optimizer's.
 * @throws ConfigError for an optimizer Keras cannot represent, or without a learning rate.
 */
export function kerasOptimizerVariables(optimizer: StatefulOptimizer, trainable: readonly Weight[]): KerasOptimizerVariables {
  const layout = layoutOf(optimizer.spec);
  const learningRate = optimizer.learningRate;
  if (learningRate === undefined) throw new ConfigError(`The optimizer '${optimizer.spec?.id}' has no learning rate to write.`);
  const owned: tf.Tensor[] = [];
  try {
    const saved = optimizer.initialized ? optimizer.getState() : undefined;
    if (saved) owned.push(...tensorsOf(saved.state));
    const missing = trainable.filter((w) =>
      layout.calls.some((call) => call.some((slot) => !findRecord(saved?.state, slot.key)?.[w.name])),
    );
    const fresh =
      missing.length > 0
        ? tf.tidy(() => optimizer.transform.init(Object.fromEntries(missing.map((w) => [w.name, w.variable])) as NamedVariables) as never)
        : undefined;
    if (fresh) owned.push(...tensorsOf(fresh));
    const names = [`${layout.name}/iteration`, `${layout.name}/learning_rate`];
    const arrays: KerasArray[] = [
      {dtype: 'int64', shape: [], values: BigInt64Array.of(BigInt(optimizer.step))},
      {dtype: 'float32', shape: [], values: Float32Array.of(learningRate)},
    ];
    for (const call of layout.calls) {
      for (const w of trainable) {
        for (const slot of call) {
          const t = findRecord(saved?.state, slot.key)?.[w.name] ?? findRecord(fresh, slot.key)?.[w.name];
          if (!t) throw new StateError(`The optimizer state has no '${slot.key}' slot for '${w.name}'.`);
          names.push(`${layout.name}/${w.name.replaceAll('/', '_')}_${slot.keras}`);
          arrays.push(arrayOfTensor(t, slot.negate === true));
        }
      }
    }
    for (const scalar of layout.scalars) {
      const value = findNumber(saved?.state, scalar.key) ?? findNumber(fresh, scalar.key) ?? 1;
      names.push(`${layout.name}/${scalar.keras}`);
      arrays.push({dtype: 'float32', shape: [], values: Float32Array.of(value)});
    }
    return {names, arrays};
  } finally {
    tf.dispose(owned);
  }
}

function tensorsOf(tree: StateTree | undefined, out: tf.Tensor[] = []): tf.Tensor[] {
  if (tree === undefined || typeof tree === 'number') return out;
  if (tree instanceof tf.Tensor) out.push(tree);
  else for (const child of Array.isArray(tree) ? tree : Object.values(tree)) tensorsOf(child as StateTree, out);
  return out;
}

/**
 * Restores the optimizer of a compiled model from Keras' optimizer
 * variables (`iteration`, `learning_rate`, slots in Keras' order over
 * `trainable`, the model's trainable weights in Keras' order), keyed by
 * variable name in the Trellis state. The step counters become `iteration`;
 * a `learning_rate` other than the compiled one is set as the current rate.
 * Everything is checked before the state changes. Two variables only
 * (`iteration`, `learning_rate`: an optimizer Keras never built) restore the
 * learning rate; none restore nothing. `arrays` are not kept.
 * @throws StateError when the count of variables is not what this optimizer and model have;
 *   ShapeError naming a slot of the wrong shape; ConfigError for an optimizer Keras cannot represent.
 */
export function restoreKerasOptimizer(
  optimizer: StatefulOptimizer,
  trainable: readonly Weight[],
  arrays: readonly KerasArray[],
  file: string,
): void {
  if (arrays.length === 0) return;
  const layout = layoutOf(optimizer.spec);
  const slotCount = layout.calls.reduce((n, call) => n + call.length, 0);
  const expected = 2 + slotCount * trainable.length + layout.scalars.length;
  const setRate = (value: number) => {
    if (Math.fround(optimizer.learningRate ?? Number.NaN) !== Math.fround(value)) optimizer.setLearningRate(value);
  };
  if (arrays.length === 2) {
    setRate(numberOfArray(arrays[1]!, `${file}: optimizer learning_rate`));
    return;
  }
  if (arrays.length !== expected) {
    throw new StateError(
      `${file} holds ${arrays.length} optimizer variables; ${optimizer.spec?.id} over the model's ${trainable.length} trainable variables has ${expected} ` +
        `(iteration, learning_rate and ${slotCount} slot(s) each${layout.scalars.length ? ` and ${layout.scalars.map((s) => s.keras).join(', ')}` : ''}). ` +
        'The file was saved with another optimizer or other trainable layers; load it with {compile: false} and compile anew.',
    );
  }
  const iteration = numberOfArray(arrays[0]!, `${file}: optimizer iteration`);
  if (!Number.isSafeInteger(iteration) || iteration < 0)
    throw new StateError(`${file}: the optimizer iteration is ${iteration}; expected an integer >= 0.`);
  const learningRate = numberOfArray(arrays[1]!, `${file}: optimizer learning_rate`);
  let at = 2;
  const planned: {key: string; name: string; array: KerasArray; negate: boolean}[] = [];
  for (const call of layout.calls) {
    for (const w of trainable) {
      for (const slot of call) {
        const array = arrays[at++]!;
        const label = `${file}: optimizer variable ${at - 1} (${slot.keras} of '${w.name}')`;
        if (!tf.util.arraysEqual([...array.shape], w.variable.shape))
          throw new ShapeError(`${label} has shape [${array.shape.join(', ')}]; the variable is [${w.variable.shape.join(', ')}].`);
        planned.push({key: slot.key, name: w.name, array, negate: slot.negate === true});
      }
    }
  }
  const scalars = layout.scalars.map((slot) => ({key: slot.key, value: numberOfArray(arrays[at++]!, `${file}: optimizer ${slot.keras}`)}));
  if (!optimizer.initialized) throw new StateError('The optimizer has no state to restore into: compile the model first.');
  const current: OptimizerState = optimizer.getState();
  const made: tf.Tensor[] = [...tensorsOf(current.state)];
  try {
    for (const p of planned) {
      const record = findRecord(current.state, p.key);
      if (!record || !record[p.name]) throw new StateError(`The optimizer state has no '${p.key}' slot for '${p.name}'.`);
      const t = tensorOfArray(p.array, p.negate, `${file}: optimizer slot ${p.key} of '${p.name}'`);
      made.push(t);
      record[p.name] = t;
    }
    for (const s of scalars) setNumbers(current.state, s.key, Math.fround(s.value));
    setNumbers(current.state, 'count', iteration);
    const {learningRateScale: _scale, ...rest} = current;
    optimizer.setState({...rest, step: iteration});
    setRate(learningRate);
  } finally {
    tf.dispose(made);
  }
}
