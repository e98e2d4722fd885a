/**
 * `addDecayedWeights({weightDecay, mask})`: adds `weightDecay * param` to the updates.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type GradientTransform, type NamedTensors, optionKeys} from '@trellis/core';
import {checkNamedTensors, checkOptions, checkRequiredNumber} from './checks';
import type {EmptyState} from './identity';
import {mapNamed, stateless} from './stateless';

/**
 * Which variables are decayed: a predicate on the variable name (`true`: decay
 * it, as optax' `mask`), or a list of names or substrings of names to
 * *exclude* (Keras' `optimizer.exclude_from_weight_decay(var_names=[...])`:
 * `['bias']` excludes every variable whose name contains `bias`).
 */
export type WeightDecayMask = ((name: string) => boolean) | readonly string[];

/** Options of {@link addDecayedWeights}. */
export type AddDecayedWeightsOptions = {
  /** The decay factor, a finite number >= 0. */
  readonly weightDecay: number;
  /** Which variables are decayed (default: all). */
  readonly mask?: WeightDecayMask;
};

const KEYS = optionKeys<AddDecayedWeightsOptions>({weightDecay: true, mask: true});

/**
 * Checks a {@link WeightDecayMask} and returns it as a predicate that is true
 * for the names to decay. Internal to this package.
 */
export function decayPredicate(who: string, mask: unknown): (name: string) => boolean {
  if (mask === undefined) return () => true;
  if (typeof mask === 'function') {
    return (name) => {
      const keep = (mask as (name: string) => unknown)(name);
      if (typeof keep !== 'boolean') {
        throw new ConfigError(`${who}: mask('${name}') must return true (decay) or false (skip); got ${describe(keep)}.`);
      }
      return keep;
    };
  }
  if (Array.isArray(mask) && mask.every((s) => typeof s === 'string' && s.length > 0)) {
    const excluded = [...(mask as string[])];
    return (name) => !excluded.some((part) => name.includes(part));
  }
  throw new ConfigError(
    `${who}: mask must be a function of the variable name returning true for the variables to decay, ` +
      `or an array of non-empty names or substrings to exclude (e.g. ['bias']); got ${describe(mask)}.`,
  );
}

/**
 * Adds decayed weights to the updates (optax `add_decayed_weights`):
 *
 * ```
 * out = u + weightDecay * param        (for the variables the mask selects; u otherwise)
 * ```
 *
 * Placed between a direction and the learning rate
 * (`chain(scaleByAdam(), addDecayedWeights({weightDecay}), scaleByLearningRate(lr))`)
 * it gives decoupled weight decay `w -= lr * (direction + weightDecay * w)`,
 * which is what Keras' `weight_decay` does: `w -= w * weightDecay * lr` with
 * the current learning rate. The named optimizers (`sgd`, `adam`, ...) apply
 * their `weightDecay` option that way, through {@link decoupledWeightDecay}.
 *
 * Needs `params` (same names and shapes as the updates, float32). Stateless.
 * Ownership: `update` returns new tensors owned by the caller and disposes nothing.
 *
 * @example
 * chain(scaleByAdam(), addDecayedWeights({weightDecay: 0.004, mask: ['bias']}), scaleByLearningRate(1e-3));
 * @throws ConfigError for a negative or non-finite `weightDecay`, a bad mask,
 *   or (in `update`) missing parameters.
 */
export function addDecayedWeights(options: AddDecayedWeightsOptions): GradientTransform<EmptyState> {
  const who = 'addDecayedWeights';
  checkOptions(who, options, KEYS);
  const weightDecay = checkRequiredNumber(who, 'weightDecay', options.weightDecay, {min: 0});
  const decays = decayPredicate(who, options.mask);
  return stateless(who, (grads, params) => {
    const p = requireParams(who, grads, params);
    return mapNamed(grads, (u, name) => (decays(name) ? tf.add(u, tf.mul(p[name]!, weightDecay)) : u));
  });
}

/** The parameters, checked to hold every updated name with its shape (internal). */
export function requireParams(who: string, grads: NamedTensors, params: NamedTensors | undefined): NamedTensors {
  if (params === undefined) {
    throw new ConfigError(`${who} needs the parameters: call update(grads, state, params) (StatefulOptimizer and model.fit pass them).`);
  }
  checkNamedTensors(who, 'parameter', params);
  for (const [name, g] of Object.entries(grads)) {
    const p = params[name];
    if (p === undefined) throw new ConfigError(`${who}: no parameter '${name}' for its update; pass every updated variable in params.`);
    if (!tf.util.arraysEqual(p.shape, g.shape)) {
      throw new ShapeError(`${who}: parameter '${name}' has shape [${p.shape.join(', ')}] but its update has [${g.shape.join(', ')}].`);
    }
  }
  return params;
}
