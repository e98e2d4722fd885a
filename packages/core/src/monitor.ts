/**
 * What a callback that watches a logged value needs (Keras'
 * `MonitorCallback`): which direction is better for a log key, and what
 * counts as an improvement. Used by `earlyStopping`, `reduceLROnPlateau` and
 * `modelCheckpoint`, and by third-party callbacks.
 * @module
 */
import {ConfigError, describeValue as describe} from './errors';

/** Keras' `mode`: `'auto'` infers the direction from the monitored name. */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * Keras 3's metric directions (`Metric._direction`), by the metric's default
 * log name: `'up'` is maximized, `'down'` minimized. `'loss'` is always
 * minimized.
 */
const DIRECTIONS: Readonly<Record<string, 'up' | 'down'>> = {
  loss: 'down',
  accuracy: 'up',
  binary_accuracy: 'up',
  categorical_accuracy: 'up',
  sparse_categorical_accuracy: 'up',
  top_k_categorical_accuracy: 'up',
  sparse_top_k_categorical_accuracy: 'up',
  precision: 'up',
  recall: 'up',
  auc: 'up',
  f1_score: 'up',
  fbeta_score: 'up',
  r2_score: 'up',
  cosine_similarity: 'up',
  pearson_correlation: 'up',
  concordance_correlation: 'up',
  iou: 'up',
  binary_iou: 'up',
  mean_iou: 'up',
  one_hot_iou: 'up',
  one_hot_mean_iou: 'up',
  sensitivity_at_specificity: 'up',
  specificity_at_sensitivity: 'up',
  precision_at_recall: 'up',
  recall_at_precision: 'up',
  hinge: 'down',
  squared_hinge: 'down',
  categorical_hinge: 'down',
  kl_divergence: 'down',
  poisson: 'down',
  binary_crossentropy: 'down',
  categorical_crossentropy: 'down',
  sparse_categorical_crossentropy: 'down',
  binary_focal_crossentropy: 'down',
  categorical_focal_crossentropy: 'down',
  mean_squared_error: 'down',
  mean_absolute_error: 'down',
  mean_absolute_percentage_error: 'down',
  mean_squared_logarithmic_error: 'down',
  root_mean_squared_error: 'down',
  logcosh: 'down',
  log_cosh: 'down',
  huber: 'down',
};

/**
 * Whether larger values of `monitor` are better. `'min'` and `'max'` say it;
 * `'auto'` follows Keras 3: the name without its `val_` prefix is looked up
 * among Keras' metrics (`loss` and errors are minimized; accuracies, AUC,
 * precision, recall, F-scores, IoU, R², correlations maximized); any other
 * name is an error asking for an explicit mode.
 * @throws ConfigError for an unknown mode, or a name `'auto'` cannot place.
 */
export function resolveMode(who: string, monitor: string, mode: unknown): boolean {
  if (mode === 'min') return false;
  if (mode === 'max') return true;
  if (mode !== 'auto') {
    throw new ConfigError(`${who}: mode must be 'auto', 'min' or 'max'; got ${describe(mode)}. For example mode: 'max' for an accuracy.`);
  }
  const name = monitor.startsWith('val_') ? monitor.slice('val_'.length) : monitor;
  const direction = DIRECTIONS[name];
  if (direction === undefined) {
    throw new ConfigError(
      `${who}: mode 'auto' cannot tell whether '${monitor}' should be maximized or minimized (it knows 'loss' and ` +
        `Keras' metric names such as 'accuracy', 'auc' or 'mean_squared_error'). Pass mode: 'max' to keep the highest ` +
        `value or mode: 'min' to keep the lowest.`,
    );
  }
  return direction === 'up';
}

/**
 * Keras' `_is_improvement`: `current - minDelta > reference` when
 * maximizing, `current + minDelta < reference` when minimizing (`minDelta`
 * taken as its absolute value); anything improves on `null`. The sum is
 * computed in float64 and compared in float32, as Keras does (its
 * `ops.greater`/`ops.less` make float32 tensors of both sides).
 */
export function isImprovement(current: number, reference: number | null, maximize: boolean, minDelta: number): boolean {
  if (reference === null) return true;
  const shifted = Math.fround(maximize ? current - minDelta : current + minDelta);
  const against = Math.fround(reference);
  return maximize ? shifted > against : shifted < against;
}

/** `monitor` when it is a non-empty string; else a ConfigError. */
export function checkMonitor(who: string, monitor: unknown): string {
  if (typeof monitor !== 'string' || monitor.length === 0) {
    throw new ConfigError(`${who}: monitor must be a log key such as 'val_loss' or 'val_accuracy'; got ${describe(monitor)}.`);
  }
  return monitor;
}
