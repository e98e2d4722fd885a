/**
 * `defineLoss()`: a loss from a plain function, as Keras accepts any callable.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describeValue} from './errors';
import {checkOptions, optionKeys} from './options-check';
import type {Loss, TargetKind} from './spec/loss';
import {withSpec} from './with-spec';

/** The function a custom loss computes: per-sample losses `[batch]` (or `[batch, ...]`), or one scalar for the batch. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Options of {@link defineLoss}. */
export type DefineLossOptions = {
  /** The loss' name, also the name part of its spec id (`custom/<name>`): letters, digits, `.`, `_`, `-`. Required. */
  readonly name: string;
  /** `(yTrue, yPred) => losses`: `[batch]`, `[batch, ...]` (averaged over the non-batch axes) or a scalar. Required. */
  readonly fn: LossFn;
  /** Whether `yPred` holds logits (metrics such as `accuracy()` read it). Default false. */
  readonly fromLogits?: boolean;
  /**
   * What the targets look like (`'binary'`, `'categorical'`, `'sparse'` or
   * `'regression'`); metrics such as `accuracy()` pick their variant from it.
   * Default `'regression'`.
   */
  readonly targetKind?: TargetKind;
  /** The spec id (`owner/name`) to save it under; default `custom/<name>`. Register a factory under it to load a model compiled with it. */
  readonly id?: string;
};

const KEYS = optionKeys<DefineLossOptions>({name: true, fn: true, fromLogits: true, targetKind: true, id: true});
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ID = /^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TARGET_KINDS: readonly TargetKind[] = ['binary', 'categorical', 'sparse', 'regression'];

/**
 * A {@link Loss} from a plain function, as Keras' `compile(loss=fn)` and
 * `LossFunctionWrapper`: `fn(yTrue, yPred)` returns per-sample losses (`[batch]`,
 * or `[batch, ...]`, averaged over the non-batch axes) or one scalar for the
 * batch (then every sample gets that value). The model reduces the result
 * like a built-in loss, with sample and class weights: `Σ w·loss / batch`
 * (a scalar `s` thus gives `s · mean(w)`, as in Keras). `compile({loss: fn})`
 * calls this for a plain function of two arguments, named after `fn.name`.
 *
 * Tensors: `fn` runs inside `tf.tidy` (its intermediates are freed) and must not
 * dispose its inputs; the loss returns a new float32 `[batch]` tensor owned by
 * the caller.
 *
 * @example
 * // Binary crossentropy with the positive class weighted posWeight times.
 * const weightedBce = (posWeight: number) =>
 *   defineLoss({name: 'weightedBce', targetKind: 'binary', fn: (yTrue, yPred) => tf.tidy(() => {
 *     const p = tf.clipByValue(yPred, 1e-7, 1 - 1e-7);
 *     const terms = tf.add(tf.mul(tf.mul(yTrue, tf.log(p)), posWeight), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
 *     return tf.neg(tf.mean(terms, -1));
 *   })});
 * model.compile({optimizer: 'adam', loss: weightedBce(3)});
 *
 * @throws ConfigError for a missing or invalid option; calling the loss throws a
 * ShapeError when `fn` returns neither a scalar nor one value per sample.
 */
export function defineLoss(options: DefineLossOptions): Loss {
  const o = checkOptions('defineLoss', options, KEYS) as Partial<DefineLossOptions>;
  if (typeof o.name !== 'string' || !NAME.test(o.name)) {
    throw new ConfigError(
      `defineLoss: name must be a string of letters, digits, '.', '_' or '-' (it names the spec id custom/<name>); got ${describeValue(o.name)}.`,
    );
  }
  const name = o.name;
  if (typeof o.fn !== 'function') {
    throw new ConfigError(`defineLoss '${name}': fn must be a function (yTrue, yPred) => losses; got ${describeValue(o.fn)}.`);
  }
  const fn = o.fn;
  if (o.fromLogits !== undefined && typeof o.fromLogits !== 'boolean') {
    throw new ConfigError(`defineLoss '${name}': fromLogits must be a boolean; got ${describeValue(o.fromLogits)}.`);
  }
  if (o.targetKind !== undefined && !TARGET_KINDS.includes(o.targetKind)) {
    throw new ConfigError(
      `defineLoss '${name}': targetKind must be one of ${TARGET_KINDS.join(', ')}; got ${describeValue(o.targetKind)}.`,
    );
  }
  const id = o.id ?? `custom/${name}`;
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new ConfigError(
      `defineLoss '${name}': id must be namespaced as 'owner/name' (e.g. 'acme/weightedBce'); got ${describeValue(id)}.`,
    );
  }
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D =>
    tf.tidy(() => {
      const batch = yPred.shape[0] ?? 1;
      let value = fn(yTrue, yPred);
      if (!(value instanceof tf.Tensor)) {
        throw new ShapeError(
          `Loss '${name}': fn must return a tensor, per-sample losses [${batch}] or a scalar; got ${describeValue(value)}.`,
        );
      }
      // A tensor returned as is from the inputs must not be handed over (the caller disposes what it gets).
      if (value === yTrue || value === yPred) value = tf.clone(value);
      const f = tf.cast(value, 'float32');
      if (f.rank === 0) return tf.mul(tf.ones([batch]), f) as tf.Tensor1D;
      if (f.shape[0] !== batch) {
        throw new ShapeError(
          `Loss '${name}': fn must return one loss per sample (shape [${batch}] or [${batch}, ...]) or a scalar; got ${describeValue(value)}. ` +
            'Reduce over the non-batch axes only (e.g. tf.mean(x, -1)), or return the batch mean as a scalar.',
        );
      }
      return (f.rank === 1 ? f : tf.mean(f, f.shape.map((_, i) => i).slice(1))) as tf.Tensor1D;
    });
  return withSpec({id, config: {}}, loss, {name, targetKind: o.targetKind ?? 'regression', fromLogits: o.fromLogits ?? false}) as Loss;
}

/**
 * The loss `compile` makes of a plain function `(yTrue, yPred) => tensor`
 * (internal): {@link defineLoss} named after the function (`loss` when it has
 * no usable name).
 * @throws ConfigError for a function that does not take two arguments (an uncalled loss factory, say).
 */
export function lossFromFunction(fn: LossFn): Loss {
  if (fn.length !== 2) {
    throw new ConfigError(
      `loss is a function of ${fn.length} argument${fn.length === 1 ? '' : 's'}; a custom loss takes (yTrue, yPred). ` +
        'Pass a loss (e.g. sparseCategoricalCrossentropy(): call the factory), an id, or a function (yTrue, yPred) => losses.',
    );
  }
  return defineLoss({name: NAME.test(fn.name) ? fn.name : 'loss', fn});
}
