/**
 * `slotTransform({who, slots, count, update})`: a gradient transform whose
 * state is named slots shaped like each variable, written one variable at a time.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkBoolean, ConfigError, describe, optionKeys, type GradientTransform, type NamedTensors, type StateTree} from '@trellis/core';
import {carrySlots, checkNamedTensors, checkOptions, slotFor, stateCount, stateRecord, stateSlots, tidyObject} from './checks';

/** What {@link SlotTransformParts.update} knows about the step besides the gradient and the slots. */
export type SlotStep = {
  /**
   * Updates made before this one (0 at the first), read from `state.count`.
   * Always 0 when the transform keeps no counter (`count: false`).
   */
  readonly count: number;
  /** The variable's name (`'dense/kernel'`). */
  readonly name: string;
  /** The variable's current value when the caller passed `params`, else `undefined`. */
  readonly param: tf.Tensor | undefined;
};

/** One variable's result of {@link SlotTransformParts.update}: its update and the new value of every slot. */
export type SlotUpdate<S extends string> = {
  /** The update of the variable, shaped like the gradient (added to the variable by the caller). */
  readonly update: tf.Tensor;
  /** The new slot values, one per declared slot, each shaped like the gradient. */
  readonly slots: {readonly [K in S]: tf.Tensor};
};

/** How to build a {@link slotTransform}. */
export type SlotTransformParts<S extends string, C extends boolean = false> = {
  /** The transform's name for error messages (`'scaleByAdam'`). */
  readonly who: string;
  /**
   * The slots, in state order. A list of names gives zeros like each
   * parameter (same dtype); a record `{name: value}` gives float32 tensors
   * filled with `value` (Adagrad's initial accumulator).
   */
  readonly slots: readonly S[] | {readonly [K in S]: number};
  /**
   * Keep the host step counter `count` (an integer, first key of the state;
   * 0 after `init`, +1 per update) and pass it to `update` (default false).
   */
  readonly count?: C;
  /**
   * The rule for one variable: its gradient (or incoming update), its slots
   * as they were before this step, and the step. Runs inside the transform's
   * `tf.tidy`: intermediates need no disposal, and returning an input or the
   * same tensor twice is fine (it is cloned). Must not dispose its inputs.
   */
  readonly update: (grad: tf.Tensor, slots: {readonly [K in S]: tf.Tensor}, step: SlotStep) => SlotUpdate<S>;
};

/**
 * The state of a {@link slotTransform}: the host counter `count` (with
 * `count: true`) and, per slot name, the slot tensors keyed by variable name.
 */
export type SlotState<S extends string, C extends boolean = false> = (C extends true ? {readonly count: number} : unknown) & {
  readonly [K in S]: NamedTensors;
};

const KEYS = optionKeys<SlotTransformParts<string, boolean>>({who: true, slots: true, count: true, update: true});

/** The declared slots as `[name, fill value or undefined for zeros]`, checked. */
function slotList<S extends string>(slots: unknown): (readonly [S, number | undefined])[] {
  const list = Array.isArray(slots)
    ? slots.map((key: unknown) => [key, undefined] as const)
    : slots !== null && typeof slots === 'object'
      ? Object.entries(slots)
      : [];
  const ok =
    list.length > 0 &&
    new Set(list.map(([key]) => key)).size === list.length &&
    list.every(
      ([key, value]) => typeof key === 'string' && key !== 'count' && key.length > 0 && (value === undefined || Number.isFinite(value)),
    );
  if (!ok) {
    throw new ConfigError(
      `slotTransform: slots must be distinct non-empty names other than 'count' (['mu', 'nu']) or a record of finite fill values ({sumOfSquares: 0.1}); got ${describe(slots)}.`,
    );
  }
  return list as (readonly [S, number | undefined])[];
}

/**
 * A {@link GradientTransform} whose state is `{count?, [slot]: {name: tensor}}`:
 * for every slot a tensor per variable, keyed by variable name and shaped
 * like the variable, plus the host step counter `count` when asked for.
 *
 * `update` checks the gradients, the state (a `StateError` for a bad
 * counter, a missing slot record or a missing slot of a variable; a
 * `ShapeError` for a slot of another shape) before any op, then calls
 * `parts.update` for each variable with a gradient inside one `tf.tidy`.
 * Variables without a gradient this step (frozen ones) keep their slots
 * unchanged; the counter advances anyway.
 *
 * Ownership: `init` and `update` return new tensors owned by the caller
 * (updates and slots never share a tensor with each other or the inputs);
 * neither disposes its inputs.
 *
 * @throws ConfigError for an unknown key in `parts`, a `who` that is not a
 *   non-empty string, bad `slots`, a non-boolean `count` or an `update` that
 *   is not a function.
 *
 * @example
 * ```ts
 * const signedMomentum = slotTransform({
 *   who: 'signedMomentum',
 *   slots: ['mu'],
 *   update: (g, {mu}) => {
 *     const next = tf.add(tf.mul(mu, 0.9), g);
 *     return {update: tf.sign(next), slots: {mu: next}};
 *   },
 * });
 * ```
 */
export function slotTransform<S extends string, C extends boolean = false>(
  parts: SlotTransformParts<S, C>,
): GradientTransform<SlotState<S, C>> {
  checkOptions('slotTransform', parts, KEYS);
  const {who, update} = parts;
  if (typeof who !== 'string' || who.length === 0) {
    throw new ConfigError(`slotTransform: who must be the transform's name for error messages; got ${describe(who)}.`);
  }
  const initial = slotList<S>(parts.slots);
  const counted = checkBoolean(who, 'count', parts.count ?? false);
  if (typeof update !== 'function') {
    throw new ConfigError(`${who}: update must be a function (grad, slots, step) => {update, slots}; got ${describe(update)}.`);
  }
  const keys = initial.map(([key]) => key);
  return {
    init(params) {
      checkNamedTensors(who, 'parameter', params);
      return tidyObject(() => {
        const state: Record<string, StateTree> = counted ? {count: 0} : {};
        for (const [key, value] of initial) {
          const slots: Record<string, tf.Tensor> = {};
          for (const [name, p] of Object.entries(params)) {
            slots[name] = value === undefined ? tf.zerosLike(p) : tf.fill(p.shape, value, 'float32');
          }
          state[key] = slots;
        }
        return state as SlotState<S, C>;
      });
    },
    update(grads, state, params) {
      checkNamedTensors(who, 'gradient', grads);
      const record = stateRecord(who, state);
      const count = counted ? stateCount(who, record) : 0;
      const old = keys.map((key) => stateSlots(who, record, key));
      const rows = Object.entries(grads).map(([name, g]) => {
        const slots = Object.fromEntries(keys.map((key, i) => [key, slotFor(who, key, old[i]!, name, g)]));
        return [name, g, slots as {readonly [K in S]: tf.Tensor}] as const;
      });
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        const next = keys.map((): Record<string, tf.Tensor> => ({}));
        for (const [name, g, slots] of rows) {
          const param = params?.[name];
          const out = update(g, slots, {count, name, param});
          const taken = new Set<tf.Tensor>([g, ...Object.values<tf.Tensor>(slots), ...(param ? [param] : [])]);
          const own = (t: unknown, what: string): tf.Tensor => {
            if (!(t instanceof tf.Tensor)) {
              throw new ConfigError(
                `${who}: update must return {update, slots: {${keys.join(', ')}}} with tensors; ${what} of '${name}' is ${describe(t)}.`,
              );
            }
            const fresh = taken.has(t) ? tf.clone(t) : t;
            taken.add(fresh);
            return fresh;
          };
          keys.forEach((key, i) => (next[i]![name] = own(out?.slots?.[key], `slot ${key}`)));
          updates[name] = own(out?.update, 'the update');
        }
        const nextState: Record<string, StateTree> = counted ? {count: count + 1} : {};
        keys.forEach((key, i) => (nextState[key] = carrySlots(old[i]!, next[i]!)));
        return {updates: updates as NamedTensors, state: nextState as SlotState<S, C>};
      });
    },
  };
}
