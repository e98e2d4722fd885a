/**
 * AdaBelief (Zhuang et al., 2020), with optax' `scale_by_belief` formula.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describe, withSpec, type GradientTransform, type NamedTensors, type Optimizer, type Schedule, type Spec} from '@trellis/core';
import {chain, scaleByLearningRate} from '@trellis/optimizers';

/** Options of {@link adabelief} (defaults: optax' `adabelief`). */
export type AdaBeliefOptions = {learningRate?: number | Schedule; beta1?: number; beta2?: number; epsilon?: number; epsilonRoot?: number};
/** The JSON config of the spec: every option, defaults filled in; a schedule is saved as its spec. */
export type AdaBeliefConfig = {learningRate: number | Spec; beta1: number; beta2: number; epsilon: number; epsilonRoot: number};
/** Slots keyed by variable name, and the host step counter. */
export type ScaleByBeliefState = {readonly count: number; readonly mu: NamedTensors; readonly nu: NamedTensors};

/**
 * optax' `scale_by_belief`, with `t = count + 1`, float32 slots shaped like each variable:
 * `mu = (1-b1)·g + b1·mu`, `nu = (1-b2)·(g - mu)² + b2·nu + epsilonRoot`,
 * `out = (mu / (1-b1^t)) / (sqrt(nu / (1-b2^t)) + epsilon)`. A variable without a gradient keeps
 * its slots. `init`/`update` return new tensors owned by the caller and dispose nothing.
 */
export function scaleByBelief({beta1, beta2, epsilon, epsilonRoot}: Omit<AdaBeliefConfig, 'learningRate'>): GradientTransform<ScaleByBeliefState> {
  const zeros = (p: NamedTensors) => Object.fromEntries(Object.entries(p).map(([name, x]) => [name, tf.zerosLike(x)]));
  return {
    init: (params) => ({count: 0, mu: zeros(params), nu: zeros(params)}),
    update(grads, {count, mu, nu}) {
      const missing = Object.keys(grads).find((name) => !mu[name] || !nu[name]);
      if (missing) throw new StateError(`adabelief: no slots for '${missing}'. Call init with the variables you train.`);
      const [t, carried] = [count + 1, Object.keys(mu).filter((name) => !(name in grads))];
      return tf.tidy(() => {
        const next = {mu: {} as Record<string, tf.Tensor>, nu: {} as Record<string, tf.Tensor>, updates: {} as Record<string, tf.Tensor>};
        for (const name of carried) [next.mu[name], next.nu[name]] = [tf.clone(mu[name]!), tf.clone(nu[name]!)];
        for (const [name, g] of Object.entries(grads)) {
          const m = (next.mu[name] = tf.add(tf.mul(g, 1 - beta1), tf.mul(mu[name]!, beta1)));
          const s = (next.nu[name] = tf.add(tf.add(tf.mul(tf.square(tf.sub(g, m)), 1 - beta2), tf.mul(nu[name]!, beta2)), epsilonRoot));
          next.updates[name] = tf.div(tf.div(m, 1 - beta1 ** t), tf.add(tf.sqrt(tf.div(s, 1 - beta2 ** t)), epsilon));
        }
        return {updates: next.updates, state: {count: t, mu: next.mu, nu: next.nu}};
      }) as unknown as {updates: NamedTensors; state: ScaleByBeliefState};
    },
  };
}

/**
 * AdaBelief: `chain(scaleByBelief(...), scaleByLearningRate(learningRate))`, spec `acme/adabelief`.
 * @throws ConfigError for unknown options, learningRate <= 0 (or a function without a spec),
 *   a beta outside [0, 1), epsilon <= 0 or epsilonRoot < 0.
 */
export function adabelief(options: AdaBeliefOptions = {}): Optimizer<AdaBeliefConfig> & {readonly learningRate: number | Schedule} {
  const {learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-16, epsilonRoot = 1e-16, ...unknown} = options;
  const check = (ok: boolean, key: string, expected: string, value: unknown) => {
    if (!ok) throw new ConfigError(`adabelief: ${key} must be ${expected}; got ${describe(value)}.`);
  };
  const extra = Object.keys(unknown)[0];
  if (extra !== undefined) throw new ConfigError(`adabelief does not know the option '${extra}'; it takes learningRate, beta1, beta2, epsilon, epsilonRoot.`);
  const isSchedule = typeof learningRate === 'function' && typeof learningRate.spec?.id === 'string';
  check(isSchedule || (Number.isFinite(learningRate) && (learningRate as number) > 0), 'learningRate', 'a number > 0 or a schedule with a spec', learningRate);
  for (const [key, beta] of Object.entries({beta1, beta2})) check(Number.isFinite(beta) && beta >= 0 && beta < 1, key, 'a number in [0, 1)', beta);
  check(Number.isFinite(epsilon) && epsilon > 0, 'epsilon', 'a number > 0', epsilon);
  check(Number.isFinite(epsilonRoot) && epsilonRoot >= 0, 'epsilonRoot', 'a number >= 0', epsilonRoot);
  const config = {learningRate: typeof learningRate === 'number' ? learningRate : learningRate.spec, beta1, beta2, epsilon, epsilonRoot};
  return withSpec({id: 'acme/adabelief', config}, chain(scaleByBelief(config), scaleByLearningRate(learningRate)), {learningRate});
}
