/**
 * One hyperparameter of a search space as plain JSON (so it crosses to worker
 * threads and into trial files), with Keras Tuner's mapping between values
 * and the unit interval that the oracles sample and model in.
 * @module
 */

/** A hyperparameter's value: what `hp.int`, `hp.float`, `hp.choice`, `hp.boolean` and `hp.fixed` return. */
export type HpValue = number | string | boolean;

/** How a numeric range is sampled (Keras Tuner's `sampling`). */
export type Sampling = 'linear' | 'log' | 'reverse_log';

/** A parent condition: the hyperparameter is active only while `name` takes one of `values`. */
export interface Condition {
  readonly name: string;
  readonly values: readonly HpValue[];
}

interface Common {
  readonly name: string;
  /** The conditional scopes the hyperparameter was declared in, outermost first. */
  readonly conditions: readonly Condition[];
}

/** `hp.int`: an integer in `[min, max]` (both included). */
export interface IntHyperParameter extends Common {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  /** The distance (linear) or ratio (log) between allowed values; null: every integer (log sampling: any). */
  readonly step: number | null;
  readonly sampling: Sampling;
  readonly default: number;
}

/** `hp.float`: a number in `[min, max]`. */
export interface FloatHyperParameter extends Common {
  readonly kind: 'float';
  readonly min: number;
  readonly max: number;
  /** The distance (linear) or ratio (log) between allowed values; null: continuous. */
  readonly step: number | null;
  readonly sampling: Sampling;
  readonly default: number;
}

/** `hp.choice`: one of `values`. */
export interface ChoiceHyperParameter extends Common {
  readonly kind: 'choice';
  readonly values: readonly HpValue[];
  /** Whether the values are ordered (numbers: true by default). */
  readonly ordered: boolean;
  readonly default: HpValue;
}

/** `hp.boolean`: true or false. */
export interface BooleanHyperParameter extends Common {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/** `hp.fixed`: a constant that is recorded with each trial but never searched. */
export interface FixedHyperParameter extends Common {
  readonly kind: 'fixed';
  readonly value: HpValue;
  readonly default: HpValue;
}

/** Any hyperparameter of a search space (JSON). */
export type HyperParameter = IntHyperParameter | FloatHyperParameter | ChoiceHyperParameter | BooleanHyperParameter | FixedHyperParameter;

/** Significant digits kept for stepped float values (`0.1 * 3` is `0.3`, not `0.30000000000000004`). */
const DIGITS = 12;

const tidy = (v: number) => Number(v.toPrecision(DIGITS));

/** Keras Tuner's `prob_to_index`: the index of `prob` among `n` equal cells of [0, 1]. */
export function probToIndex(prob: number, n: number): number {
  const index = Math.floor(prob / (1 / n));
  return index >= n ? n - 1 : index;
}

/** Keras Tuner's `index_to_prob`: the middle of cell `index` of `n`. */
function indexToProb(index: number, n: number): number {
  return (index + 0.5) / n;
}

type Numeric = IntHyperParameter | FloatHyperParameter;

/** The number of values a stepped range holds. */
function stepCount(hp: Numeric & {step: number}): number {
  if (hp.sampling === 'linear') return Math.floor((hp.max - hp.min) / hp.step + 1e-9) + 1;
  return Math.floor(Math.log(hp.max / hp.min) / Math.log(hp.step) + 1e-8) + 1;
}

function valueAtIndex(hp: Numeric & {step: number}, index: number): number {
  if (hp.sampling === 'linear') return tidy(hp.min + index * hp.step);
  if (hp.sampling === 'log') return tidy(hp.min * hp.step ** index);
  return tidy(hp.max + hp.min - hp.min * hp.step ** index);
}

/** Keras Tuner's `_sample_numerical_value`: the value at cumulative probability `prob` of `[min, max]`. */
function continuousValue(hp: Numeric, prob: number, max = hp.max): number {
  if (hp.sampling === 'linear') return prob * (max - hp.min) + hp.min;
  if (hp.sampling === 'log') return hp.min * (max / hp.min) ** prob;
  return max + hp.min - hp.min * (max / hp.min) ** (1 - prob);
}

function continuousProb(hp: Numeric, value: number, max = hp.max): number {
  if (max === hp.min) return 0.5;
  if (hp.sampling === 'linear') return (value - hp.min) / (max - hp.min);
  if (hp.sampling === 'log') return Math.log(value / hp.min) / Math.log(max / hp.min);
  return 1 - Math.log((max + hp.min - value) / hp.min) / Math.log(max / hp.min);
}

/**
 * The value at cumulative probability `prob` in [0, 1) (Keras Tuner's
 * `prob_to_value`): a uniform `prob` gives a uniform draw in the
 * hyperparameter's sampling (log-uniform for `'log'`).
 */
export function probToValue(hp: HyperParameter, prob: number): HpValue {
  switch (hp.kind) {
    case 'fixed':
      return hp.value;
    case 'boolean':
      return prob >= 0.5;
    case 'choice':
      return hp.values[probToIndex(prob, hp.values.length)]!;
    case 'int':
      if (hp.step === null) return Math.min(hp.max, Math.floor(continuousValue(hp, prob, hp.max + 1)));
      return Math.round(valueAtIndex(hp as Numeric & {step: number}, probToIndex(prob, stepCount(hp as Numeric & {step: number}))));
    case 'float':
      if (hp.step === null) return continuousValue(hp, prob);
      return valueAtIndex(hp as Numeric & {step: number}, probToIndex(prob, stepCount(hp as Numeric & {step: number})));
  }
}

/** The cumulative probability in [0, 1] of `value` (Keras Tuner's `value_to_prob`); the oracles model in this space. */
export function valueToProb(hp: HyperParameter, value: HpValue): number {
  switch (hp.kind) {
    case 'fixed':
      return 0.5;
    case 'boolean':
      return value ? 0.75 : 0.25;
    case 'choice':
      return indexToProb(Math.max(0, hp.values.indexOf(value)), hp.values.length);
    case 'int':
    case 'float': {
      const v = value as number;
      if (hp.step === null) return hp.kind === 'int' ? continuousProb(hp, v + 0.5, hp.max + 1) : continuousProb(hp, v);
      const stepped = hp as Numeric & {step: number};
      const index =
        hp.sampling === 'linear'
          ? Math.floor((v - hp.min) / stepped.step + 1e-9)
          : hp.sampling === 'log'
            ? Math.log(v / hp.min) / Math.log(stepped.step)
            : Math.log((hp.max - v + hp.min) / hp.min) / Math.log(stepped.step);
      return indexToProb(index, stepCount(stepped));
    }
  }
}

/**
 * The values a grid search enumerates, default first (Keras Tuner's order):
 * every allowed value of a stepped range, of a choice or a boolean; ten
 * values at the middle of ten equal cells of a continuous range.
 */
export function gridValues(hp: HyperParameter): HpValue[] {
  let values: HpValue[];
  switch (hp.kind) {
    case 'fixed':
      return [hp.value];
    case 'boolean':
      values = [true, false];
      break;
    case 'choice':
      values = [...hp.values];
      break;
    case 'int':
    case 'float':
      if (hp.step === null && !(hp.kind === 'int' && hp.sampling === 'linear')) {
        values = [...new Set(Array.from({length: 10}, (_, i) => tidy(probToValue(hp, i * 0.1 + 0.05) as number)))];
      } else {
        const stepped = (hp.step === null ? {...hp, step: 1} : hp) as Numeric & {step: number};
        values = Array.from({length: stepCount(stepped)}, (_, i) => valueAtIndex(stepped, i));
      }
      break;
  }
  return [hp.default, ...values.filter((v) => v !== hp.default)];
}

/** Whether every condition holds for `values` (which hold only active hyperparameters, so a nested scope is inactive with its parent). */
export function conditionsHold(conditions: readonly Condition[], values: Readonly<Record<string, HpValue>>): boolean {
  return conditions.every((c) => c.name in values && c.values.includes(values[c.name]!));
}

/** Whether two condition lists are the same scope. */
export function sameConditions(a: readonly Condition[], b: readonly Condition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How a hyperparameter reads in messages: `int 'units' in [32, 512] step 32`. */
export function describeHyperParameter(hp: HyperParameter): string {
  switch (hp.kind) {
    case 'int':
    case 'float': {
      const step = hp.step === null ? '' : ` step ${hp.step}`;
      const sampling = hp.sampling === 'linear' ? '' : ` (${hp.sampling})`;
      return `${hp.kind} '${hp.name}' in [${hp.min}, ${hp.max}]${step}${sampling}`;
    }
    case 'choice':
      return `choice '${hp.name}' of [${hp.values.map((v) => JSON.stringify(v)).join(', ')}]`;
    case 'boolean':
      return `boolean '${hp.name}'`;
    case 'fixed':
      return `fixed '${hp.name}' = ${JSON.stringify(hp.value)}`;
  }
}
