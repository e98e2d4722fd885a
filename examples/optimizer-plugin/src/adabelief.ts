/**
 * AdaBelief (Zhuang et al., 2020), with optax' `scale_by_belief` formula.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform} from '@trellis/core';
import {chain, defineOptimizer, scaleByLearningRate, slotTransform} from '@trellis/optimizers';
import type {DeclaredConfig, DeclaredOptions, NamedOptimizerConfig, SlotState} from '@trellis/optimizers';

/** AdaBelief's own options: optax' defaults and the valid ranges. */
const OPTIONS = {
  beta1: {default: 0.9, min: 0, max: 1},
  beta2: {default: 0.999, min: 0, max: 1},
  epsilon: {default: 1e-16, min: 0, minExclusive: true},
  epsilonRoot: {default: 1e-16, min: 0},
} as const;

/** Options of {@link adabelief}: `learningRate` (default 1e-3), the betas, `epsilon`, `epsilonRoot`, and Trellis' common options. */
export type AdaBeliefOptions = DeclaredOptions<typeof OPTIONS>;
/** The JSON config of the spec: every option, defaults filled in; a schedule is saved as its spec. */
export type AdaBeliefConfig = NamedOptimizerConfig<DeclaredConfig<typeof OPTIONS>>;
/** The host step counter `count` and the slots `mu`, `nu`, keyed by variable name. */
export type ScaleByBeliefState = SlotState<'mu' | 'nu', true>;

/**
 * optax' `scale_by_belief`, with `t = count + 1`, float32 slots shaped like each variable:
 * `mu = (1-b1)·g + b1·mu`, `nu = (1-b2)·(g - mu)² + b2·nu + epsilonRoot`,
 * `out = (mu / (1-b1^t)) / (sqrt(nu / (1-b2^t)) + epsilon)`. A variable without a gradient keeps
 * its slots. `init`/`update` return new tensors owned by the caller and dispose nothing.
 */
export function scaleByBelief({beta1, beta2, epsilon, epsilonRoot}: DeclaredConfig<typeof OPTIONS>): GradientTransform<ScaleByBeliefState> {
  return slotTransform({
    who: 'scaleByBelief',
    slots: ['mu', 'nu'],
    count: true,
    update(g, {mu, nu}, {count}) {
      const t = count + 1;
      const m = tf.add(tf.mul(g, 1 - beta1), tf.mul(mu, beta1));
      const s = tf.add(tf.add(tf.mul(tf.square(tf.sub(g, m)), 1 - beta2), tf.mul(nu, beta2)), epsilonRoot);
      const update = tf.div(tf.div(m, 1 - beta1 ** t), tf.add(tf.sqrt(tf.div(s, 1 - beta2 ** t)), epsilon));
      return {update, slots: {mu: m, nu: s}};
    },
  });
}

/**
 * AdaBelief: `chain(scaleByBelief(...), scaleByLearningRate(learningRate))`, spec `acme/adabelief`.
 * @throws ConfigError for unknown options, learningRate <= 0 (or a function without a spec),
 *   a beta outside [0, 1), epsilon <= 0 or epsilonRoot < 0.
 */
export const adabelief = defineOptimizer({
  id: 'acme/adabelief',
  name: 'adabelief',
  learningRate: 1e-3,
  options: OPTIONS,
  build: (config, learningRate) => chain(scaleByBelief(config), scaleByLearningRate(learningRate)),
});
