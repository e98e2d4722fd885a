/**
 * The two ways to call a regularizer or a constraint: Keras' positional form
 * (`l1l2(1e-5, 1e-4)`, `maxNorm(3)`) and the options object (`l1l2({l1: 1e-5, l2: 1e-4})`).
 * @module
 * @internal
 */
import {ConfigError, checkOptions, describe} from '@trellis/core';

/** How a factory may be called. */
export type CallForms = {
  /** The factory, as the user writes it (`'l1l2'`). */
  readonly who: string;
  /** The options the positional arguments stand for, in Keras' order (`['l1', 'l2']`). */
  readonly positional: readonly string[];
  /** Every option of the options object. */
  readonly allowed: readonly string[];
  /** Both forms with example values, quoted in errors: `l1l2(1e-5, 1e-4) or l1l2({l1: 1e-5, l2: 1e-4})`. */
  readonly usage: string;
};

/** `value`, or `fallback` when it is `undefined` (a `null` stays, to be refused by the checks). */
export function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/**
 * The arguments as options: one options object (its keys checked against
 * `forms.allowed`), or up to `forms.positional.length` positional values
 * keyed by the options they stand for (`undefined` ones left out). Trailing
 * `undefined` arguments are ignored, so no argument at all gives `{}`. The
 * values are not checked here: the factory checks them, quoting `forms.usage`.
 *
 * @throws ConfigError for unknown options, too many arguments, or an object
 *   among several arguments; the message says what came and shows both forms.
 */
export function readArguments(forms: CallForms, args: readonly unknown[]): Record<string, unknown> {
  const given = [...args];
  while (given.length > 0 && given[given.length - 1] === undefined) given.pop();
  const isOptions = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (given.length === 1 && isOptions(given[0])) return checkOptions(forms.who, given[0], forms.allowed);
  if (given.length > forms.positional.length || given.some(isOptions)) {
    const count = forms.positional.length;
    const expected = `${count === 1 ? 'one number' : `up to ${count} numbers`} (${forms.positional.join(', ')}) or one options object`;
    throw new ConfigError(
      `${forms.who} takes ${expected}; got ${given.length} argument${given.length === 1 ? '' : 's'}: ` +
        `${given.map((a) => describe(a)).join(', ')}. Call it as ${forms.usage}.`,
    );
  }
  const options: Record<string, unknown> = {};
  given.forEach((value, i) => {
    if (value !== undefined) options[forms.positional[i]!] = value;
  });
  return options;
}
