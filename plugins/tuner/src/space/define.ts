/**
 * Checked constructors of the hyperparameter kinds: every bad range or
 * choice is a `ConfigError` that says what was expected and how to fix it.
 * @module
 */
import {ConfigError, checkOptions, describeValue, optionKeys} from '@trellis/core';
import type {
  BooleanHyperParameter,
  ChoiceHyperParameter,
  Condition,
  FixedHyperParameter,
  FloatHyperParameter,
  HpValue,
  IntHyperParameter,
  Sampling,
} from './hyperparameter';

/** Options of `hp.int` (Keras Tuner's `hp.Int` arguments, camelCase). */
export type IntOptions = {
  /** The lower bound, included. */
  readonly min: number;
  /** The upper bound, included. */
  readonly max: number;
  /** The distance between values (`'linear'`; default 1) or their ratio (`'log'`, > 1; default: any integer). */
  readonly step?: number;
  /** `'linear'` (default), `'log'` or `'reverse_log'` (both need `min > 0`). */
  readonly sampling?: Sampling;
  /** The value of the first trial and of discovery builds; default `min`. */
  readonly default?: number;
};

/** Options of `hp.float` (Keras Tuner's `hp.Float` arguments, camelCase). */
export type FloatOptions = {
  /** The lower bound. */
  readonly min: number;
  /** The upper bound (must exceed `min`; a constant is `hp.fixed`). */
  readonly max: number;
  /** The distance between values (`'linear'`) or their ratio (`'log'`, > 1); default: continuous. */
  readonly step?: number;
  /** `'linear'` (default), `'log'` (uniform in log space) or `'reverse_log'` (dense near `max`); log needs `min > 0`. */
  readonly sampling?: Sampling;
  /** The value of the first trial and of discovery builds; default `min`. */
  readonly default?: number;
};

/** Options of `hp.choice`. */
export type ChoiceOptions<T extends HpValue = HpValue> = {
  /** The value of the first trial and of discovery builds; default the first value. */
  readonly default?: T;
  /** Whether the values are ordered (default: true for numbers, and only numbers may be). */
  readonly ordered?: boolean;
};

/** Options of `hp.boolean`. */
export type BooleanOptions = {
  /** Default false. */
  readonly default?: boolean;
};

const RANGE_KEYS = optionKeys<IntOptions>({min: true, max: true, step: true, sampling: true, default: true});
const CHOICE_KEYS = optionKeys<ChoiceOptions>({default: true, ordered: true});
const BOOLEAN_KEYS = optionKeys<BooleanOptions>({default: true});
const SAMPLINGS: readonly Sampling[] = ['linear', 'log', 'reverse_log'];

/** Throws unless `name` is a non-empty string. */
export function checkName(who: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ConfigError(`${who} expects a hyperparameter name (a non-empty string) first; got ${describeValue(name)}.`);
  }
  return name;
}

function isValue(v: unknown): v is HpValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** Validates the range options shared by `hp.int` and `hp.float`. */
function checkRange(kind: 'int' | 'float', name: string, options: unknown) {
  const who = `hp.${kind}('${name}')`;
  if (options === undefined) {
    throw new ConfigError(`${who} needs {min, max}; for example hp.${kind}('${name}', {min: 1, max: 10}).`);
  }
  const o = checkOptions(who, options, RANGE_KEYS) as IntOptions;
  const integer = kind === 'int';
  const number = (key: 'min' | 'max', value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new ConfigError(`${who}: ${key} must be ${integer ? 'an integer' : 'a finite number'}; got ${describeValue(value)}.`);
    }
    return value;
  };
  const min = number('min', o.min);
  const max = number('max', o.max);
  if (min > max) {
    throw new ConfigError(`${who}: min (${min}) is greater than max (${max}); swap them, or fix the bound that is wrong.`);
  }
  if (min === max) {
    throw new ConfigError(
      `${who}: the range [${min}, ${max}] is empty (min equals max), so there is nothing to search; ` +
        `use hp.fixed('${name}', ${min}) for a constant, or widen the range.`,
    );
  }
  const sampling = o.sampling ?? 'linear';
  if (!SAMPLINGS.includes(sampling)) {
    throw new ConfigError(`${who}: sampling must be 'linear', 'log' or 'reverse_log'; got ${describeValue(o.sampling)}.`);
  }
  if (sampling !== 'linear' && min <= 0) {
    throw new ConfigError(
      `${who}: sampling '${sampling}' needs min > 0 (a logarithm of ${min} is undefined); got min ${min}. ` +
        `Use a positive lower bound such as ${kind === 'int' ? 1 : 1e-4}, or sampling: 'linear'.`,
    );
  }
  let step: number | null = o.step ?? null;
  if (step !== null) {
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0 || (integer && !Number.isInteger(step))) {
      throw new ConfigError(`${who}: step must be a positive ${integer ? 'integer' : 'number'}; got ${describeValue(o.step)}.`);
    }
    if (sampling !== 'linear' && step <= 1) {
      throw new ConfigError(`${who}: with sampling '${sampling}' step is a ratio between values and must be > 1; got ${step}.`);
    }
  } else if (integer && sampling === 'linear') {
    step = 1;
  }
  const fallback = min;
  const defaultValue = o.default ?? fallback;
  if (typeof defaultValue !== 'number' || !Number.isFinite(defaultValue) || defaultValue < min || defaultValue > max) {
    throw new ConfigError(`${who}: default must be a number in [${min}, ${max}]; got ${describeValue(o.default)}.`);
  }
  if (integer && !Number.isInteger(defaultValue)) {
    throw new ConfigError(`${who}: default must be an integer; got ${defaultValue}.`);
  }
  return {name, min, max, step, sampling, default: defaultValue};
}

/** An `int` hyperparameter from `hp.int`'s arguments. @throws ConfigError for a bad range. */
export function defineInt(name: string, options: unknown, conditions: readonly Condition[]): IntHyperParameter {
  return {kind: 'int', ...checkRange('int', name, options), conditions};
}

/** A `float` hyperparameter from `hp.float`'s arguments. @throws ConfigError for a bad range. */
export function defineFloat(name: string, options: unknown, conditions: readonly Condition[]): FloatHyperParameter {
  return {kind: 'float', ...checkRange('float', name, options), conditions};
}

/** A `choice` hyperparameter from `hp.choice`'s arguments. @throws ConfigError for empty, mixed or repeated values. */
export function defineChoice(name: string, values: unknown, options: unknown, conditions: readonly Condition[]): ChoiceHyperParameter {
  const who = `hp.choice('${name}')`;
  const o = checkOptions(who, options, CHOICE_KEYS) as ChoiceOptions;
  if (!Array.isArray(values) || values.length === 0) {
    throw new ConfigError(
      `${who} needs a non-empty array of values (numbers, strings or booleans); got ${describeValue(values)}. ` +
        `For example hp.choice('${name}', ['relu', 'tanh']).`,
    );
  }
  const bad = values.find((v) => !isValue(v));
  if (bad !== undefined || values.includes(undefined)) {
    throw new ConfigError(`${who}: values must be finite numbers, strings or booleans; got ${describeValue(bad)}.`);
  }
  const types = new Set(values.map((v) => typeof v));
  if (types.size > 1) {
    throw new ConfigError(`${who}: values must all be of one type; got ${[...types].join(' and ')} in ${JSON.stringify(values)}.`);
  }
  if (new Set(values).size !== values.length) {
    throw new ConfigError(`${who}: values must be distinct; got ${JSON.stringify(values)}.`);
  }
  const numeric = typeof values[0] === 'number';
  if (o.ordered === true && !numeric) {
    throw new ConfigError(`${who}: only numbers can be ordered; got ${typeof values[0]} values with ordered: true.`);
  }
  if (o.ordered !== undefined && typeof o.ordered !== 'boolean') {
    throw new ConfigError(`${who}: ordered must be true or false; got ${describeValue(o.ordered)}.`);
  }
  if (o.default !== undefined && !values.includes(o.default)) {
    throw new ConfigError(`${who}: default must be one of ${JSON.stringify(values)}; got ${describeValue(o.default)}.`);
  }
  return {kind: 'choice', name, values: [...values], ordered: o.ordered ?? numeric, default: o.default ?? values[0], conditions};
}

/** A `boolean` hyperparameter from `hp.boolean`'s arguments. */
export function defineBoolean(name: string, options: unknown, conditions: readonly Condition[]): BooleanHyperParameter {
  const o = checkOptions(`hp.boolean('${name}')`, options, BOOLEAN_KEYS) as BooleanOptions;
  if (o.default !== undefined && typeof o.default !== 'boolean') {
    throw new ConfigError(`hp.boolean('${name}'): default must be true or false; got ${describeValue(o.default)}.`);
  }
  return {kind: 'boolean', name, default: o.default ?? false, conditions};
}

/** A `fixed` hyperparameter from `hp.fixed`'s arguments. */
export function defineFixed(name: string, value: unknown, conditions: readonly Condition[]): FixedHyperParameter {
  if (!isValue(value)) {
    throw new ConfigError(`hp.fixed('${name}') needs a finite number, a string or a boolean; got ${describeValue(value)}.`);
  }
  return {kind: 'fixed', name, value, default: value, conditions};
}
