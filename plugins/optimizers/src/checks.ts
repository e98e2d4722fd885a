/**
 * Internal argument, config and state checks shared by the transforms.
 * Every check runs on the host (no device readback) and throws a typed
 * Trellis error that says what was expected, what came and what to do.
 * @module
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  ShapeError,
  StateError,
  checkNumber,
  checkOptions as checkOptionNames,
  describe,
  type NumberRange,
  type NamedTensors,
  type StateTree,
} from '@trellis/core';

/**
 * Throws unless `options` is a plain object whose keys are all in `allowed`
 * (`checkOptions` of `@trellis/core`: an unknown key is named with the option
 * it most likely meant). `undefined` passes: required options then report
 * themselves as missing.
 */
export function checkOptions(who: string, options: unknown, allowed: readonly string[]): void {
  checkOptionNames(who, options, allowed);
}

/**
 * `checkNumber` of `@trellis/core` for an argument or option with no default:
 * an `undefined` value gets the wording of any other wrong value
 * (`decay must be a finite number in [0, 1]; got undefined.`), which these
 * messages have always had, rather than core's `is required (...)`.
 */
export function checkRequiredNumber(who: string, key: string, value: unknown, range: NumberRange = {}): number {
  try {
    return checkNumber(who, key, value, range);
  } catch (error) {
    const required = `${who}: ${key} is required (`;
    const message = error instanceof Error ? error.message : '';
    const tail = '); got undefined.';
    if (value !== undefined || !message.startsWith(required) || !message.endsWith(tail)) throw error;
    throw new ConfigError(`${who}: ${key} must be ${message.slice(required.length, -tail.length)}; got undefined.`);
  }
}

/** Whether `value` has `init` and `update` functions (duck typing, no `instanceof`). */
export function isTransformLike(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as {init?: unknown}).init === 'function' &&
    typeof (value as {update?: unknown}).update === 'function'
  );
}

/** Throws unless `tensors` is a record of tensors (params or gradients). */
export function checkNamedTensors(who: string, what: string, tensors: unknown): NamedTensors {
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors) || tensors instanceof tf.Tensor) {
    throw new ConfigError(`${who}: ${what} must be tensors keyed by variable name ({'dense/kernel': tensor}); got ${describe(tensors)}.`);
  }
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof tf.Tensor)) {
      throw new ConfigError(`${who}: ${what} '${name}' must be a tensor; got ${describe(t)}.`);
    }
    if (t.isDisposed) {
      throw new ConfigError(`${who}: ${what} '${name}' is disposed. Keep it alive until the update returns.`);
    }
  }
  return tensors as NamedTensors;
}

/** Throws a `StateError` unless `state` is an object; returns it as a record. */
export function stateRecord(who: string, state: unknown): Readonly<Record<string, StateTree>> {
  if (state === null || typeof state !== 'object' || Array.isArray(state) || state instanceof tf.Tensor) {
    throw new StateError(
      `${who}: expected the state that ${who}.init() made (an object); got ${describe(state)}. Pass the state returned by init or the previous update.`,
    );
  }
  return state as Readonly<Record<string, StateTree>>;
}

/** Reads the host step counter `state.count` (an integer >= 0) or throws a `StateError`. */
export function stateCount(who: string, state: Readonly<Record<string, StateTree>>): number {
  const count = state.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new StateError(`${who}: state.count must be an integer >= 0 (the host step counter); got ${describe(count)}.`);
  }
  return count;
}

/** Reads a record of slot tensors `state[key]` or throws a `StateError`. */
export function stateSlots(who: string, state: Readonly<Record<string, StateTree>>, key: string): NamedTensors {
  const slots = state[key];
  if (slots === null || typeof slots !== 'object' || Array.isArray(slots) || slots instanceof tf.Tensor) {
    throw new StateError(`${who}: state.${key} must be slot tensors keyed by variable name; got ${describe(slots)}.`);
  }
  return slots as NamedTensors;
}

/**
 * The slot for gradient `name`, checked against the gradient's shape.
 * A missing slot means the state was made for other variables.
 */
export function slotFor(who: string, key: string, slots: NamedTensors, name: string, grad: tf.Tensor): tf.Tensor {
  const slot = slots[name];
  if (!(slot instanceof tf.Tensor)) {
    const known = Object.keys(slots);
    throw new StateError(
      `${who}: no ${key} slot for variable '${name}' (the state has [${known.join(', ')}]). ` +
        'Call init() with the variables you train, or load state saved for them.',
    );
  }
  if (!tf.util.arraysEqual(slot.shape, grad.shape)) {
    throw new ShapeError(
      `${who}: the gradient of '${name}' has shape [${grad.shape.join(', ')}] but its ${key} slot has [${slot.shape.join(', ')}]. ` +
        'The state was made for a variable of another shape.',
    );
  }
  return slot;
}

/**
 * New slots: the updated ones, plus clones of slots whose variable got no
 * gradient this step (so the caller can dispose the old state wholesale).
 */
export function carrySlots(slots: NamedTensors, updated: Record<string, tf.Tensor>): NamedTensors {
  const out: Record<string, tf.Tensor> = {...updated};
  for (const [name, slot] of Object.entries(slots)) {
    if (!(name in out)) out[name] = tf.clone(slot);
  }
  return out;
}

/**
 * Runs `fn` in `tf.tidy` and keeps every tensor of the object it returns, so
 * a transform leaks no intermediates even when its caller forgets `tidy`.
 */
export function tidyObject<T extends object>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}
