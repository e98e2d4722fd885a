/**
 * `accumulateGradients(n, inner)`: Keras' `gradient_accumulation_steps`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, cloneTree, describe, type GradientTransform, type NamedTensors, type StateTree} from '@trellis/core';
import {carrySlots, checkNamedTensors, isTransformLike, slotFor, stateCount, stateRecord, stateSlots, tidyObject} from './checks';

/** State of {@link accumulateGradients}. */
export type AccumulateGradientsState = {
  /** Steps seen so far (every call of `update`), 0 first. */
  readonly count: number;
  /** The sum of the gradients since the last update, keyed by variable name (Keras' `gradient_accumulator`). */
  readonly accumulated: NamedTensors;
  /** The inner transform's state; it changes only on update steps. */
  readonly inner: StateTree;
};

/**
 * Gradient accumulation (Keras' `gradient_accumulation_steps`, optax
 * `MultiSteps`): sums the gradients of `n` consecutive steps and, on every
 * `n`-th step, hands their mean to `inner`:
 *
 * ```
 * step k (0, 1, 2, ...), acc starts at 0:
 *   (k + 1) % n != 0:  acc = g + acc;  updates are zeros, inner's state is kept
 *   (k + 1) % n == 0:  updates = inner.update((g + acc) / n);  acc = 0
 * ```
 *
 * The variables therefore change only on every `n`-th step. `inner` is called
 * only on those steps, so its own counters (Adam's bias correction,
 * `scaleByLearningRate`'s schedule step) count updates, `floor(k / n)`: that
 * is Keras' `optimizer.iterations`. Keras calls a learning-rate *schedule*
 * with the raw step `k` instead; the named optimizers (`adam({learningRate:
 * schedule, gradientAccumulationSteps: n})`) reproduce that by calling the
 * schedule at `(u + 1) * n - 1` for update `u`.
 *
 * A variable without a gradient in a step keeps its accumulator. `params`
 * and `extras` go to `inner` unchanged; `finalize` is `inner`'s. Shapes and
 * dtypes follow the gradients (float32). Ownership: `init`/`update`/`finalize`
 * return new tensors owned by the caller and dispose nothing.
 *
 * @example
 * accumulateGradients(4, adam({learningRate: 1e-3}));   // an update every 4 batches
 * @param n - steps per update, an integer >= 1 (1 updates every step).
 * @throws ConfigError when `n` is not an integer >= 1 or `inner` is not a transform.
 */
export function accumulateGradients(n: number, inner: GradientTransform): GradientTransform<AccumulateGradientsState> {
  const who = 'accumulateGradients';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ConfigError(`${who}: n (steps per update) must be an integer >= 1; got ${describe(n)}.`);
  }
  if (!isTransformLike(inner)) {
    throw new ConfigError(`${who}: inner must be a gradient transform with init and update; got ${describe(inner)}.`);
  }
  const transform: GradientTransform<AccumulateGradientsState> = {
    init(params) {
      checkNamedTensors(who, 'parameter', params);
      return tidyObject(() => {
        const accumulated: Record<string, tf.Tensor> = {};
        for (const [name, p] of Object.entries(params)) accumulated[name] = tf.zerosLike(p);
        return {count: 0, accumulated: accumulated as NamedTensors, inner: inner.init(params)};
      });
    },
    update(grads, state, params, extras) {
      checkNamedTensors(who, 'gradient', grads);
      const record = stateRecord(who, state);
      const count = stateCount(who, record);
      const slots = stateSlots(who, record, 'accumulated');
      const pairs = Object.entries(grads).map(([name, g]) => [name, g, slotFor(who, 'accumulated', slots, name, g)] as const);
      const isUpdateStep = (count + 1) % n === 0;
      return tidyObject(() => {
        const accumulated: Record<string, tf.Tensor> = {};
        if (!isUpdateStep) {
          const updates: Record<string, tf.Tensor> = {};
          for (const [name, g, acc] of pairs) {
            accumulated[name] = tf.add(g, acc);
            updates[name] = tf.zerosLike(g);
          }
          return {
            updates: updates as NamedTensors,
            state: {count: count + 1, accumulated: carrySlots(slots, accumulated), inner: cloneTree(record.inner as StateTree)},
          };
        }
        const mean: Record<string, tf.Tensor> = {};
        for (const [name, g, acc] of pairs) {
          // Keras: (g + acc_g) / steps.
          mean[name] = tf.div(tf.add(g, acc), n);
          accumulated[name] = tf.zerosLike(g);
        }
        const result = inner.update(mean as NamedTensors, record.inner as StateTree, params, extras);
        return {
          updates: result.updates,
          state: {count: count + 1, accumulated: carrySlots(slots, accumulated), inner: result.state},
        };
      });
    },
  };
  if (typeof inner.finalize === 'function') {
    transform.finalize = (state, params) => inner.finalize!(stateRecord(who, state).inner as StateTree, params);
  }
  return transform;
}
