/**
 * `checkOptions`: refuse options objects with keys nobody reads, naming the
 * closest valid key ("did you mean batchSize?"). Every factory and method of
 * every package that takes an options object runs it, so a typo or a Keras
 * spelling (`batch_size`) is an error instead of a silently ignored option.
 * @module
 */
import {ConfigError, describe} from './errors';

/**
 * Throws a `ConfigError` unless `options` is a plain object (not an array, a
 * tensor or a function) whose keys are all in `allowed`. For an unknown key
 * the message names it, suggests the closest allowed key (a Keras snake_case
 * spelling maps to its camelCase option: `batch_size` → `batchSize`; else the
 * nearest by edit distance), and lists every allowed key. `undefined` passes
 * (a missing options object means "all defaults").
 *
 * @param who - the factory or method, as the user wrote it (`'dense'`, `'fit'`).
 * @param options - what the user passed.
 * @param allowed - the keys `who` reads.
 * @returns `options` as a record (an empty one for `undefined`).
 *
 * @example
 * checkOptions('fit', {batch_size: 500}, ['epochs', 'batchSize']);
 * // ConfigError: fit does not know the option 'batch_size' (did you mean 'batchSize'?); ...
 */
export function checkOptions(who: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (!isPlainOptions(options)) {
    const example = allowed
      .slice(0, 2)
      .map((k) => `${k}: ...`)
      .join(', ');
    throw new ConfigError(`${who} expects an options object such as {${example}}; got ${describe(options)}.`);
  }
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    const named = unknown.map((k) => {
      const guess = closestKey(k, allowed);
      return guess ? `'${k}' (did you mean '${guess}'?)` : `'${k}'`;
    });
    throw new ConfigError(
      `${who} does not know the option${unknown.length > 1 ? 's' : ''} ${named.join(', ')}; ` +
        `it takes ${allowed.map((k) => `'${k}'`).join(', ')}. Options are camelCase; remove or rename the unknown one.`,
    );
  }
  return options as Record<string, unknown>;
}

/**
 * The option names of the options type `T`, in the order given, for
 * {@link checkOptions}. The argument names every key of `T` once
 * (`{units: true, activation: true}`); a missing or an extra key is a compile
 * error, so the list a factory checks cannot drift from the options it reads.
 *
 * @example
 * const DENSE_KEYS = optionKeys<DenseOptions>({units: true, activation: true, useBias: true, ...});
 * checkOptions('dense', options, DENSE_KEYS);
 */
export function optionKeys<T extends object>(keys: {readonly [K in keyof Required<T>]: true}): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(keys)) as readonly (keyof T & string)[];
}

/**
 * Throws a `ConfigError` unless `options` is absent or an empty object: `who`
 * takes no options (a factory whose registry spec has an empty config).
 */
export function checkNoOptions(who: string, options: unknown): void {
  const keys = options !== null && typeof options === 'object' && !Array.isArray(options) ? Object.keys(options) : [];
  if (keys.length > 0) {
    throw new ConfigError(`${who} takes no options; got ${keys.map((k) => `'${k}'`).join(', ')}. Remove them.`);
  }
  checkOptions(who, options, []);
}

/** Whether `value` can be an options object: a non-null object that is not an array, a tensor or a function. */
function isPlainOptions(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const maybeTensor = value as {shape?: unknown; dtype?: unknown; dataId?: unknown};
  return !(Array.isArray(maybeTensor.shape) && typeof maybeTensor.dtype === 'string' && maybeTensor.dataId !== undefined);
}

/**
 * The allowed key a user most likely meant by `key`: its camelCase form when
 * that is allowed (`batch_size` → `batchSize`), a case-insensitive match, or
 * the nearest by edit distance when it is close (at most a third of the
 * key's length); `undefined` when nothing is close.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  const folded = (s: string) => s.replace(/[_-]/g, '').toLowerCase();
  const byCase = allowed.find((k) => k === camel) ?? allowed.find((k) => folded(k) === folded(key));
  if (byCase) return byCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(folded(key), folded(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions, and swaps of neighbours). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
