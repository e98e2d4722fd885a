/**
 * `scaleByMomentum({decay, nesterov})`: the momentum buffer of SGD and RMSprop.
 * @module
 */
import {checkBoolean, optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkOptions, checkRequiredNumber} from './checks';
import {slotTransform} from './slot-transform';

/** Options of {@link scaleByMomentum}. */
export type ScaleByMomentumOptions = {
  /** How much of the previous trace is kept each step, in [0, 1]. */
  readonly decay: number;
  /** Nesterov's look-ahead: emit `u + decay * trace` instead of `trace` (default false). */
  readonly nesterov?: boolean;
};

const KEYS = optionKeys<ScaleByMomentumOptions>({decay: true, nesterov: true});

/** State of {@link scaleByMomentum}: one trace tensor per variable, keyed by name. */
export type ScaleByMomentumState = {
  /** `trace['dense/kernel']` has the variable's shape (float32). */
  readonly trace: NamedTensors;
};

/**
 * Keeps an exponentially decaying trace of the incoming updates `u`
 * (optax `trace`):
 *
 * ```
 * trace = decay * trace + u
 * out   = nesterov ? decay * trace + u : trace
 * ```
 *
 * Placed *after* {@link scaleByLearningRate} (so `u = -lr * g`), the trace
 * is exactly Keras' SGD velocity `v = momentum * v - lr * g`, also when the
 * learning rate changes between steps; that is how {@link sgd} uses it, and
 * {@link rmsprop} after `scaleByRms` (Keras' `m = momentum * m + lr * g / sqrt(...)`).
 * Placed before it (optax' order, and tfjs-core's `tf.train.momentum`), the
 * learning rate of the current step scales the whole trace instead, which
 * differs once the rate varies.
 *
 * Slots are zeros shaped like each parameter. A variable without a gradient
 * in a step keeps its trace. Ownership: `init` and `update` return new
 * tensors owned by the caller; neither disposes its inputs.
 *
 * @throws ConfigError when `decay` is not in [0, 1] or `nesterov` is not a boolean.
 */
export function scaleByMomentum(options: ScaleByMomentumOptions): GradientTransform<ScaleByMomentumState> {
  const who = 'scaleByMomentum';
  checkOptions(who, options, KEYS);
  const decay = checkRequiredNumber(who, 'decay', options.decay, {min: 0, max: 1});
  const nesterov = checkBoolean(who, 'nesterov', options.nesterov ?? false);
  return slotTransform({
    who,
    slots: ['trace'],
    update(u, {trace}) {
      const next = tf.add(tf.mul(trace, decay), u);
      return {update: nesterov ? tf.add(u, tf.mul(next, decay)) : next, slots: {trace: next}};
    },
  });
}
