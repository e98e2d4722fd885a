/**
 * `valueAndGrads`: a gradient tape over named variables, for training loops
 * written by hand.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '../errors';
import {Model, type AnyModel} from '../model/model';
import type {NamedTensors} from '../spec/state';
import {closedTape} from '../training/closed-tape';
import type {NamedVariables} from '../stateful-optimizer';

/** What {@link valueAndGrads} differentiates with respect to. */
export type GradientTargets = AnyModel | NamedVariables;

/** The result of {@link valueAndGrads}; the caller owns (and disposes) every tensor. */
export type ValueAndGrads = {
  /** `fn()`'s scalar value. */
  readonly value: tf.Scalar;
  /** `d value / d variable` for every variable, keyed by its name (`dense_1/kernel`), shaped like it. */
  readonly grads: NamedTensors;
};

/**
 * Runs `fn` under a gradient tape and returns its value and the gradient of
 * that value with respect to each variable, keyed by name — Keras'
 * `tf.GradientTape` / `jax.value_and_grad` for hand-written loops.
 *
 * `targets` is a model (its trainable weights, keyed `dense_1/kernel`, as
 * `model.optimizer.applyGradients` and `fit` key them) or a record of
 * variables by name. A variable `fn` does not depend on gets a zero gradient
 * (never a missing key), as in `fit`.
 *
 * `fn` returns a float32 scalar; its intermediates are freed. Ownership: the
 * returned `value` and `grads` are new tensors owned by the caller; the
 * variables are not changed.
 *
 * @throws ConfigError when `fn` is not a function, `targets` holds no
 *   trainable variable, or `fn` does not return a scalar; whatever `fn`
 *   throws is rethrown. Either way no tensor is left behind (tfjs' own
 *   `variableGrads` keeps the tensors its tape saved when `fn` throws).
 *
 * @example
 * const {value, grads} = valueAndGrads(() => tf.mean(loss(yb, model.apply(xb, {training: true}))), model);
 * console.log(globalNorm(grads).dataSync()[0]);
 * model.optimizer.applyGradients(grads, model.trainableVariables);
 * tf.dispose([value, grads]);
 */
export function valueAndGrads(fn: () => tf.Scalar, targets: GradientTargets): ValueAndGrads {
  if (typeof fn !== 'function') throw new ConfigError(`valueAndGrads expects a function returning a scalar; got ${describe(fn)}.`);
  const named = targets instanceof Model ? targets.trainableVariables : targets;
  const entries: [string, tf.Variable][] = named !== null && typeof named === 'object' ? Object.entries(named) : [];
  if (entries.length === 0 || !entries.every(([, v]) => v instanceof tf.Variable)) {
    throw new ConfigError(
      `valueAndGrads needs a model or a record of tf.Variables by name to differentiate with respect to; got ${describe(targets)}.`,
    );
  }
  const byVariableName = new Map(entries.map(([name, v]) => [v.name, name]));
  const variables = entries.map(([, v]) => v);
  const {value, grads} = closedTape(() => {
    const out = fn();
    if (out instanceof tf.Tensor && out.rank === 0) return out as tf.Scalar;
    throw new ConfigError(
      `valueAndGrads: fn must return a scalar tensor (e.g. tf.mean(loss(y, model.apply(x)))); got ` +
        `${out instanceof tf.Tensor ? `a tensor of shape [${out.shape.join(', ')}]` : describe(out)}.`,
    );
  }, variables);
  const result: Record<string, tf.Tensor> = {};
  for (const [name, v] of entries) result[name] = grads[v.name] ?? tf.zerosLike(v);
  for (const [key, g] of Object.entries(grads)) if (!byVariableName.has(key)) g.dispose();
  return {value, grads: result as NamedTensors};
}
