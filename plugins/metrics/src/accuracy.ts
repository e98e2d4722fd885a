import type * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, describe, type Loss, type Metric, type TargetKind, optionKeys} from '@trellis/core';
import {checkName, type AccuracyState} from './accuracy-state';
import {checkTensor} from './metric-checks';
import {binaryAccuracy} from './binary-accuracy';
import {categoricalAccuracy} from './categorical-accuracy';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';

/** Options of {@link accuracy}. */
export type AccuracyConfig = {
  /** The log key; default `'accuracy'` (validation logs show `val_accuracy`). */
  readonly name?: string;
};

const KEYS = optionKeys<AccuracyConfig>({name: true});

/** Which accuracy {@link accuracy} computes. */
export type AccuracyVariant = Exclude<TargetKind, 'regression'>;

/** What {@link accuracy} returns: a metric that also picks its variant from the compiled loss. */
export interface AccuracyMetric extends Metric<AccuracyState, Required<AccuracyConfig>> {
  /**
   * The variant that fits `loss.targetKind`, named like this metric:
   * `binary` → {@link binaryAccuracy} with threshold 0.5, or 0 when
   * `loss.fromLogits`; `categorical` → {@link categoricalAccuracy};
   * `sparse` → {@link sparseCategoricalAccuracy}. Its spec is the concrete
   * variant's (e.g. `{id: 'trellis/binaryAccuracy', config: {name: 'accuracy', threshold: 0}}`).
   * Creates no tensors.
   *
   * @throws ConfigError for a `regression` loss (accuracy needs classes).
   */
  forLoss(loss: Loss): Metric<AccuracyState>;
  /** The variant in use: set by the first `update` (inferred from shapes); `undefined` before. */
  readonly variant: AccuracyVariant | undefined;
}

/**
 * Accuracy, Keras' `metrics=['accuracy']`: the log key is `accuracy` whatever
 * the targets are, and the variant follows the task.
 *
 * - Compiled with a loss, `compile` calls {@link AccuracyMetric.forLoss} and
 *   the variant comes from `loss.targetKind` (and `loss.fromLogits`).
 * - Used on its own, the variant is inferred from the shapes of the first
 *   `update` and kept from then on (Keras' rule): `yPred` of rank 1 or with a
 *   last dimension of 1 → binary (threshold 0.5); else `yTrue` of rank one
 *   less than `yPred`, or with a last dimension of 1 → sparse; else
 *   categorical. Logits cannot be told apart from probabilities by shape: for
 *   binary logits use `binaryAccuracy({threshold: 0})` or compile with the loss.
 *
 * State `{total, count}` (float32 scalars); sample weights `[batch]`; every
 * method returns new tensors owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an invalid `name` or an unknown option.
 */
export function accuracy(config: AccuracyConfig = {}): AccuracyMetric {
  checkOptions('accuracy', config, KEYS);
  const name = checkName('accuracy', config.name, 'accuracy');
  let resolved: {variant: AccuracyVariant; metric: Metric<AccuracyState>} | undefined;

  const variantMetric = (variant: AccuracyVariant, fromLogits: boolean): Metric<AccuracyState> => {
    if (variant === 'binary') return binaryAccuracy({name, threshold: fromLogits ? 0 : 0.5});
    if (variant === 'categorical') return categoricalAccuracy({name});
    return sparseCategoricalAccuracy({name});
  };

  // The inferred variant is kept only once an update with it succeeded, so a bad first batch locks nothing in.
  const update = (state: AccuracyState, yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor) => {
    if (resolved) return resolved.metric.update(state, yTrue, yPred, sampleWeight);
    checkTensor(name, 'yTrue', yTrue);
    checkTensor(name, 'yPred', yPred);
    const variant = inferVariant(yTrue.shape, yPred.shape);
    const candidate = variantMetric(variant, false);
    const next = candidate.update(state, yTrue, yPred, sampleWeight);
    resolved = {variant, metric: candidate};
    return next;
  };

  // init, result and merge do not depend on the variant: any variant serves for them.
  const base = categoricalAccuracy({name});
  const metric: AccuracyMetric = {
    spec: Object.freeze({id: 'trellis/accuracy', config: Object.freeze({name})}),
    name,
    get variant() {
      return resolved?.variant;
    },
    init: () => base.init(),
    update,
    result: (state) => base.result(state),
    merge: (a, b) => base.merge!(a, b),
    forLoss(loss: Loss) {
      const kind = (loss as Partial<Loss> | null)?.targetKind;
      if (kind === 'regression') {
        throw new ConfigError(
          `accuracy() needs a classification loss (binary, categorical or sparse targets), but the loss ` +
            `'${loss.name}' is a regression loss. Use a regression metric (e.g. mean absolute error) instead.`,
        );
      }
      if (kind !== 'binary' && kind !== 'categorical' && kind !== 'sparse') {
        throw new ConfigError(
          `accuracy().forLoss expects a loss with targetKind 'binary', 'categorical' or 'sparse'; got ` +
            `${describe(loss)} with targetKind ${describe(kind)}.`,
        );
      }
      return variantMetric(kind, loss.fromLogits === true);
    },
  };
  return metric;
}

/**
 * Keras' shape rule for `'accuracy'` without a loss (see {@link accuracy}).
 * @internal
 */
export function inferVariant(yTrue: readonly number[], yPred: readonly number[]): AccuracyVariant {
  const predLast = yPred[yPred.length - 1];
  if (yPred.length <= 1 || predLast === 1) return 'binary';
  if (yTrue.length === yPred.length - 1 || yTrue[yTrue.length - 1] === 1) return 'sparse';
  return 'categorical';
}
