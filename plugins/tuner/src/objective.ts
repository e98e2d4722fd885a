/**
 * The objective: which log value scores a trial, and whether higher is better.
 * @module
 */
import {ConfigError, describeValue} from '@trellis/core';

/** Whether a lower (`'min'`) or a higher (`'max'`) score is better. */
export type Direction = 'min' | 'max';

/** Keras Tuner's `Objective`: a log key of `fit` (`'val_accuracy'`) and its direction. */
export interface Objective {
  readonly name: string;
  readonly direction: Direction;
}

/** An objective as users give it: a log key whose direction is inferred, or `{name, direction}`. */
export type ObjectiveOption = string | Objective;

const MAX = /(^|_)(acc|accuracy|auc|precision|recall|f1_?score|fbeta_?score|r2_?score|iou)$|accuracy|Accuracy|Auc$|Precision$|Recall$/;
const MIN = /loss|error|Error|(^|_)(mse|mae|mape|msle|rmse|hinge|crossentropy|logcosh|poisson)$|Crossentropy$|Hinge$|Loss$/;

/**
 * The objective of `option` (default `'val_loss'`). A string's direction is
 * inferred from its name as Keras Tuner does (`val_` stripped): losses and
 * errors are minimized, accuracies, AUC, precision, recall, F-scores and R²
 * maximized.
 * @throws ConfigError for a name whose direction cannot be inferred (pass
 *   `{name, direction}`), or a malformed object.
 */
export function toObjective(option: ObjectiveOption | undefined): Objective {
  if (option === undefined) return {name: 'val_loss', direction: 'min'};
  if (typeof option === 'string') {
    if (option.length === 0) throw new ConfigError(`objective must be a log key such as 'val_accuracy'; got an empty string.`);
    const base = option.replace(/^val_/, '');
    if (MIN.test(base)) return {name: option, direction: 'min'};
    if (MAX.test(base)) return {name: option, direction: 'max'};
    throw new ConfigError(
      `objective '${option}': cannot tell whether it is better higher or lower; pass {name: '${option}', direction: 'max'} (or 'min').`,
    );
  }
  const o = option as {name?: unknown; direction?: unknown};
  if (
    o === null ||
    typeof o !== 'object' ||
    typeof o.name !== 'string' ||
    o.name.length === 0 ||
    (o.direction !== 'min' && o.direction !== 'max')
  ) {
    throw new ConfigError(
      `objective must be a log key ('val_accuracy') or {name, direction: 'min' | 'max'}; got ${describeValue(option)}.`,
    );
  }
  return {name: o.name, direction: o.direction};
}

/** Whether score `a` is better than `b` (a finite score beats none). */
export function isBetter(objective: Objective, a: number, b: number | null | undefined): boolean {
  if (!Number.isFinite(a)) return false;
  if (b === null || b === undefined || !Number.isFinite(b)) return true;
  return objective.direction === 'max' ? a > b : a < b;
}

/** Keras Tuner's objective as it prints: `Objective(name="val_accuracy", direction="max")`. */
export function formatObjective(objective: Objective): string {
  return `Objective(name="${objective.name}", direction="${objective.direction}")`;
}
