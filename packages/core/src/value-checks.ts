/**
 * The validation kit: checks of option values that throw one message format,
 * `<who>: <key> must be <expected>; got <value>. For example <key>: <example>.`,
 * shared by every package and open to plugin authors (with `checkOptions`).
 * @module
 */
import {ConfigError, describe} from './errors';

/** The accepted range of {@link checkNumber}. */
export type NumberRange = {
  /** Lower bound (inclusive unless `minExclusive`). */
  readonly min?: number;
  readonly minExclusive?: boolean;
  /** Upper bound (inclusive unless `maxExclusive`). */
  readonly max?: number;
  readonly maxExclusive?: boolean;
  /** Require an integer. */
  readonly integer?: boolean;
  /** A valid value, quoted in the message (`decaySteps: 1000`). */
  readonly example?: number;
};

/**
 * `value` when it is a finite number in `range`; else a `ConfigError`
 * saying what was expected (`must be a finite number in [0, 1)`), what came,
 * and an example when given. `undefined` counts as missing ("is required"):
 * pass the default with `??` for optional options.
 */
export function checkNumber(who: string, key: string, value: unknown, range: NumberRange = {}): number {
  const {min, minExclusive = false, max, maxExclusive = false, integer = false, example} = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || (maxExclusive ? value < max : value <= max));
  if (ok) return value as number;
  const bounds =
    min !== undefined && max !== undefined
      ? ` in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`
      : min !== undefined
        ? ` ${minExclusive ? '>' : '>='} ${min}`
        : max !== undefined
          ? ` ${maxExclusive ? '<' : '<='} ${max}`
          : '';
  const expected = `${integer ? 'an integer' : 'a finite number'}${bounds}`;
  const problem = value === undefined ? `is required (${expected})` : `must be ${expected}`;
  const hint = example === undefined ? '' : ` For example ${key}: ${example}.`;
  throw new ConfigError(`${who}: ${key} ${problem}; got ${describe(value)}.${hint}`);
}

/** `value` when it is a boolean; else a `ConfigError` naming `who` and `key`. */
export function checkBoolean(who: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(`${who}: ${key} must be true or false; got ${describe(value)}.`);
  return value;
}

/** `seed` when it is `undefined` or a non-negative integer; else a `ConfigError` naming `who`. */
export function checkSeed(who: string, seed: unknown): number | undefined {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)) {
    throw new ConfigError(`${who}: seed must be a non-negative integer; got ${describe(seed)}.`);
  }
  return seed as number | undefined;
}
