/**
 * `stateless(who, fn)`: a gradient transform that keeps no state (clipping, scaling).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkNamedTensors, tidyObject} from './checks';
import type {EmptyState} from './identity';

/**
 * A {@link GradientTransform} with state `{}` whose updates are
 * `fn(grads, params)`. The gradients are checked first (a `ConfigError` for
 * anything but live tensors keyed by variable name); `fn` then runs inside
 * `tf.tidy`, so its intermediates need no disposal. `params` is what the
 * caller passed (possibly `undefined`); a transform that needs it checks it.
 *
 * Ownership: the updates are new tensors owned by the caller (an input
 * returned as is, or one tensor returned for two names, is cloned); nothing
 * is disposed.
 *
 * @example
 * ```ts
 * const halve = stateless('halve', (grads) => mapNamed(grads, (g) => tf.mul(g, 0.5)));
 * ```
 */
export function stateless(
  who: string,
  fn: (grads: NamedTensors, params: NamedTensors | undefined) => Readonly<Record<string, tf.Tensor>>,
): GradientTransform<EmptyState> {
  return {
    init: () => ({}),
    update(grads, _state, params) {
      checkNamedTensors(who, 'gradient', grads);
      return tidyObject(() => {
        const taken = new Set<tf.Tensor>([...Object.values(grads), ...Object.values(params ?? {})]);
        const updates: Record<string, tf.Tensor> = {};
        for (const [name, u] of Object.entries(fn(grads, params))) {
          updates[name] = taken.has(u) ? tf.clone(u) : u;
          taken.add(updates[name]);
        }
        return {updates: updates as NamedTensors, state: {}};
      });
    },
  };
}

/**
 * `fn` applied to each tensor of a record, keeping the names:
 * `mapNamed({a: x}, f)` is `{a: f(x, 'a')}`. Returns the tensors `fn`
 * returns (run it inside `tf.tidy`, as {@link stateless} does).
 */
export function mapNamed(tensors: NamedTensors, fn: (t: tf.Tensor, name: string) => tf.Tensor): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) out[name] = fn(t, name);
  return out;
}
