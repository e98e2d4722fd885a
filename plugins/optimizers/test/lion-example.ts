// The third-party optimizer example of the README, kept here so a test runs it.
// In a real package the last import reads from '@trellis/optimizers'.
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, withSpec, type GradientTransform, type NamedTensors, type Optimizer, type Plugin} from '@trellis/core';
import {chain, scaleByLearningRate} from '../src/index';

/** Lion's state: one momentum slot per variable, keyed by name. */
export type ScaleByLionState = {readonly mu: NamedTensors};

/** The sign of an interpolation of momentum and gradient (Chen et al., 2023). */
export function scaleByLion({beta1 = 0.9, beta2 = 0.99} = {}): GradientTransform<ScaleByLionState> {
  return {
    init: (params) => ({mu: Object.fromEntries(Object.entries(params).map(([name, p]) => [name, tf.zerosLike(p)]))}),
    // The caller runs update inside tf.tidy; intermediates need no disposal.
    update(grads, state) {
      const updates: Record<string, tf.Tensor> = {};
      const mu: Record<string, tf.Tensor> = {};
      for (const [name, g] of Object.entries(grads)) {
        const m = state.mu[name];
        if (m === undefined) throw new StateError(`scaleByLion: no slot for '${name}'. Call init with the variables you train.`);
        updates[name] = tf.sign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        mu[name] = tf.add(tf.mul(m, beta2), tf.mul(g, 1 - beta2));
      }
      return {updates, state: {mu}};
    },
  };
}

export type LionConfig = {learningRate: number; beta1: number; beta2: number};

/** Keras' `Lion` (defaults 1e-3, 0.9, 0.99): `w -= lr * sign(b1*m + (1-b1)*g)`. */
export function lion({learningRate = 1e-3, beta1 = 0.9, beta2 = 0.99}: Partial<LionConfig> = {}): Optimizer<LionConfig> {
  if (!(learningRate > 0)) throw new ConfigError(`lion: learningRate must be a number > 0; got ${learningRate}.`);
  const spec = {id: 'acme/lion', config: {learningRate, beta1, beta2}};
  return withSpec(spec, chain(scaleByLion({beta1, beta2}), scaleByLearningRate(learningRate)));
}

export const lionPlugin: Plugin = {
  name: '@acme/lion',
  specVersion: 1,
  setup(registry) {
    registry.register('optimizer', 'acme/lion', (config) => lion(config ?? {}));
  },
};
