/**
 * `decoupledWeightDecay(inner, {weightDecay, learningRate})`: Keras' `weight_decay`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type GradientTransform, type NamedTensors, type Schedule, type StateTree, optionKeys} from '@trellis/core';
import {decayPredicate, requireParams, type WeightDecayMask} from './add-decayed-weights';
import {checkNamedTensors, checkOptions, checkRequiredNumber, isTransformLike, stateCount, stateRecord, tidyObject} from './checks';
import {checkLearningRate, learningRateAt, learningRateScale} from './learning-rate';

/** Options of {@link decoupledWeightDecay}. */
export type DecoupledWeightDecayOptions = {
  /** The decay factor, a finite number >= 0 (Keras `weight_decay`). */
  readonly weightDecay: number;
  /** The learning rate the decay is multiplied by: a number > 0 or a function of the step. */
  readonly learningRate: number | Schedule;
  /** Which variables are decayed (default: all); see {@link WeightDecayMask}. */
  readonly mask?: WeightDecayMask;
};

const KEYS = optionKeys<DecoupledWeightDecayOptions>({weightDecay: true, learningRate: true, mask: true});

/** State of {@link decoupledWeightDecay}: its step counter and the inner transform's state. */
export type DecoupledWeightDecayState = {
  /** Updates made so far; the learning-rate schedule is called with it (0 first). */
  readonly count: number;
  readonly inner: StateTree;
};

/**
 * Keras' decoupled weight decay around an update rule: with `lr` the learning
 * rate of this step (`learningRate(count)` for a schedule), each decayed
 * variable first shrinks, then `inner` updates it (Keras' `_apply_weight_decay`
 * before `update_step`):
 *
 * ```
 * w' = w - w * weightDecay * lr            (what inner sees as params)
 * w  = w' + inner.update(g, params = w')
 * ```
 *
 * The update returned is `(w' - w) + innerUpdate`; `inner` sees the decayed
 * parameters, which matters for rules that read them (trust ratios, relative
 * step sizes). Pass the same `learningRate` as the inner rule uses, so the
 * decay follows its schedule.
 *
 * Needs `params`. Shapes and dtypes follow the gradients (float32).
 * Ownership: `init`/`update`/`finalize` return new tensors owned by the
 * caller and dispose nothing. `finalize` is the inner transform's.
 *
 * @example
 * // AdamW as Keras computes it:
 * decoupledWeightDecay(chain(scaleByAdam(), scaleByLearningRate(1e-3)), {weightDecay: 0.004, learningRate: 1e-3});
 * @throws ConfigError for a bad `weightDecay`, learning rate or mask, an
 *   unknown option, or (in `update`) missing parameters or a schedule value
 *   that is not a finite number >= 0 (thrown before any tensor is made).
 */
export function decoupledWeightDecay(
  inner: GradientTransform,
  options: DecoupledWeightDecayOptions,
): GradientTransform<DecoupledWeightDecayState> {
  const who = 'decoupledWeightDecay';
  if (!isTransformLike(inner)) {
    throw new ConfigError(`${who}: the first argument must be a gradient transform with init and update; got ${describe(inner)}.`);
  }
  checkOptions(who, options, KEYS);
  const weightDecay = checkRequiredNumber(who, 'weightDecay', options.weightDecay, {min: 0});
  const lr = checkLearningRate(who, options.learningRate, false);
  const decays = decayPredicate(who, options.mask);
  const transform: GradientTransform<DecoupledWeightDecayState> = {
    init: (params) => tidyObject(() => ({count: 0, inner: inner.init(params)})),
    update(grads, state, params, extras) {
      checkNamedTensors(who, 'gradient', grads);
      const record = stateRecord(who, state);
      const count = stateCount(who, record);
      const p = requireParams(who, grads, params);
      const rate = learningRateAt(who, lr, count) * learningRateScale(extras);
      return tidyObject(() => {
        const decay: Record<string, tf.Tensor> = {};
        const decayed: Record<string, tf.Tensor> = {...p};
        for (const name of Object.keys(grads)) {
          if (!decays(name) || weightDecay === 0) continue;
          // Keras: variable - variable * wd * lr, in this order (float32). The
          // decay is taken back from the rounded result, so that adding it to
          // the variable reproduces Keras' intermediate value exactly.
          decayed[name] = tf.sub(p[name]!, tf.mul(tf.mul(p[name]!, weightDecay), rate));
          decay[name] = tf.sub(decayed[name]!, p[name]!);
        }
        const result = inner.update(grads, record.inner as StateTree, decayed as NamedTensors, extras);
        const updates: Record<string, tf.Tensor> = {};
        for (const [name, u] of Object.entries(result.updates)) updates[name] = decay[name] ? tf.add(decay[name]!, u) : u;
        return {updates: updates as NamedTensors, state: {count: count + 1, inner: result.state}};
      });
    },
  };
  if (typeof inner.finalize === 'function') {
    transform.finalize = (state, params) => inner.finalize!(stateRecord(who, state).inner as StateTree, params);
  }
  return transform;
}
