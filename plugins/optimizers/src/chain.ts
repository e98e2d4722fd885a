/**
 * `chain(...transforms)`: composes gradient transforms left to right.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describe, type GradientTransform, type NamedTensors, type StateTree} from '@trellis/core';
import {checkNamedTensors, isTransformLike, tidyObject} from './checks';

/**
 * Applies `transforms` in order, each to the updates of the one before
 * (optax `chain`). Its state is the array of the children's states, in the
 * same order; `update` checks the array's length and throws a `StateError`
 * when it does not match (state saved from another chain).
 *
 * `params` and `extras` are passed to every child unchanged. With no
 * transforms it behaves like {@link identity}: a gradient that comes out
 * unchanged is cloned, so the updates never alias the caller's gradients.
 *
 * `finalize` (the end-of-training values, e.g. an EMA's averages) asks each
 * child that has one, in order, each seeing the parameters as the children
 * before it left them, and returns the merged values (or `undefined` when no
 * child changes anything).
 *
 * Ownership: `init`, `update` and `finalize` return new tensors owned by the caller.
 * Updates passed between children are intermediates and are disposed
 * before `update` returns; nothing the caller passed is disposed.
 *
 * @example
 * // Keras' SGD with momentum 0.9: scale first, then accumulate.
 * const opt = chain(scaleByLearningRate(0.01), scaleByMomentum({decay: 0.9}));
 * @throws ConfigError when an argument is not a transform.
 */
export function chain(...transforms: readonly GradientTransform[]): GradientTransform<readonly StateTree[]> {
  transforms.forEach((t, i) => {
    if (!isTransformLike(t)) {
      throw new ConfigError(`chain: argument ${i + 1} must be a gradient transform with init and update; got ${describe(t)}.`);
    }
  });
  return {
    init(params) {
      checkNamedTensors('chain', 'parameter', params);
      return tidyObject(() => transforms.map((t) => t.init(params)));
    },
    update(grads, state, params, extras) {
      checkNamedTensors('chain', 'gradient', grads);
      if (!Array.isArray(state) || state.length !== transforms.length) {
        throw new StateError(
          `chain: expected the state of a chain of ${transforms.length} transform${transforms.length === 1 ? '' : 's'} ` +
            `(an array of ${transforms.length} child states); got ${Array.isArray(state) ? `an array of ${state.length}` : describe(state)}. ` +
            'Pass the state this chain made, or state saved from the same optimizer.',
        );
      }
      return tidyObject(() => {
        let updates: NamedTensors = grads;
        const states: StateTree[] = [];
        transforms.forEach((t, i) => {
          const result = t.update(updates, state[i] as StateTree, params, extras);
          updates = result.updates;
          states.push(result.state);
        });
        // The caller disposes the updates; never hand it its own gradients
        // back (an empty chain, or a child that passes tensors through).
        const out: Record<string, tf.Tensor> = {};
        for (const [name, u] of Object.entries(updates)) out[name] = u === grads[name] ? tf.clone(u) : u;
        return {updates: out as NamedTensors, state: states};
      });
    },
    finalize(state, params) {
      if (!transforms.some((t) => typeof t.finalize === 'function')) return undefined;
      if (!Array.isArray(state) || state.length !== transforms.length) {
        throw new StateError(
          `chain: finalize expected the state of a chain of ${transforms.length} transform${transforms.length === 1 ? '' : 's'}; ` +
            `got ${Array.isArray(state) ? `an array of ${state.length}` : describe(state)}. Pass the state this chain made.`,
        );
      }
      // Values a later child replaces are intermediates, disposed by the tidy.
      return tf.tidy(() => {
        // Each child sees the parameters as the children before it left them.
        let current: NamedTensors = params;
        let changed: Record<string, tf.Tensor> | undefined;
        transforms.forEach((t, i) => {
          const values = t.finalize?.(state[i] as StateTree, current);
          if (values === undefined) return;
          changed = {...changed, ...values};
          current = {...current, ...values};
        });
        return changed as tf.NamedTensorMap | undefined;
      }) as NamedTensors | undefined;
    },
  };
}
