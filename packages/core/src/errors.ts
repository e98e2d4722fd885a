/**
 * The `TrellisError` family. Every error says what was expected, what came,
 * and what to do. Identity survives duplicate copies of this package (ESM and
 * CJS side by side) through a `Symbol.for` brand: use `isTrellisError(e)` or
 * `XError.is(e)`, not `instanceof`, across package boundaries.
 * @module
 */

const brand = Symbol.for('@trellis/core/error');

/** Options every Trellis error accepts. */
export interface TrellisErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/** Base class of every error Trellis throws on purpose. */
export class TrellisError extends Error {
  /** A stable, machine-readable code (`'shape'`, `'unknown-id'`...). */
  readonly code: string = 'trellis';
  readonly [brand] = true;

  constructor(message: string, options: TrellisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = new.target.name;
  }

  /** Whether `error` is a Trellis error of this class (by name), from any copy of the package. */
  static is(error: unknown): boolean {
    if (!isTrellisError(error)) return false;
    return this === TrellisError || (error as Error).name === this.name;
  }
}

/** Whether `error` was thrown by Trellis (any copy, any subclass). */
export function isTrellisError(error: unknown): error is TrellisError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

/** A {@link TrellisError} subclass whose instances all have the `code` `C`. */
interface TrellisErrorClassWithCode<C extends string> {
  new (message: string, options?: TrellisErrorOptions): TrellisError & {readonly code: C};
  /** Whether `error` is a Trellis error of this class (by name), from any copy of the package. */
  is(error: unknown): boolean;
}

/**
 * The base class of the errors below: a {@link TrellisError} whose `code` is
 * always `code`. Each error class extends its own call, so its name,
 * `instanceof` and `XError.is` behave as for a class written out in full.
 */
function trellisErrorWithCode<const C extends string>(code: C): TrellisErrorClassWithCode<C> {
  return class extends TrellisError {
    override readonly code: C = code;
  };
}

/** An option or argument has an invalid value (`batchSize: 0`). */
export class ConfigError extends trellisErrorWithCode('config') {}

/** A tensor or data set has the wrong shape or rank. */
export class ShapeError extends trellisErrorWithCode('shape') {}

/** A tensor has the wrong dtype. */
export class DTypeError extends trellisErrorWithCode('dtype') {}

/** Data is unusable: empty, NaN, labels out of range, corrupt or truncated files. */
export class DataError extends trellisErrorWithCode('data') {}

/** A file or document is not in the format it claims. */
export class FormatError extends trellisErrorWithCode('format') {}

/** Saved state does not fit what it is loaded into. */
export class StateError extends trellisErrorWithCode('state') {}

/** A backend could not be loaded or lacks what is asked of it. */
export class BackendError extends trellisErrorWithCode('backend') {}

/** Options of {@link UnknownIdError}. */
export interface UnknownIdErrorOptions extends TrellisErrorOptions {
  /** Other spellings that resolve (aliases), considered for the close matches but not listed among the known ids. */
  readonly aliases?: readonly string[];
}

/**
 * An id is not registered. The message names the close matches among the
 * known ids and aliases (`closeMatches`: same name up to case, `_`/`-` and a
 * few typos) and lists every known id of that kind.
 */
export class UnknownIdError extends TrellisError {
  override readonly code = 'unknown-id';
  /** The known ids closest to `id`, best first (at most 3; empty when none is close). */
  readonly closeMatches: readonly string[];
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly knownIds: readonly string[],
    options: UnknownIdErrorOptions = {},
  ) {
    const close = closeMatches(id, [...knownIds, ...(options.aliases ?? [])]);
    const known = knownIds.length === 0 ? 'none are registered' : `known ids: ${knownIds.join(', ')}`;
    const hint = close.length === 0 ? '' : `did you mean ${close.map((k) => `'${k}'`).join(' or ')}? `;
    super(
      `Unknown ${kind} id '${id}' (${hint}${known}). Register the plugin that provides it ` +
        `(registry.use(plugin), or call createTrellis()) or check the spelling.`,
      options,
    );
    this.closeMatches = close;
  }
}

/** A name without its namespace, lower case, without `_` and `-` (`trellis/Binary_Crossentropy` → `binarycrossentropy`). */
function normalizedName(id: string): string {
  return id
    .slice(id.indexOf('/') + 1)
    .toLowerCase()
    .replace(/[_-]/g, '');
}

/** The edit distance of two strings (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known ids whose names are within a few edits of `id`'s (ignoring the
 * namespace, case, `_` and `-`), best first, at most 3.
 */
function closeMatches(id: string, knownIds: readonly string[]): string[] {
  if (typeof id !== 'string') return [];
  const wanted = normalizedName(id);
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  // One spelling per name (spellings differing only by case or `_`/`-` are one suggestion): the one closest
  // to how `id` was written, so `'adamm'` suggests `adam` and `'sparse_categorical_crossentropie'` the snake_case id.
  const written = id.slice(id.indexOf('/') + 1);
  const literal = (known: string) => editDistance(written, known.slice(known.indexOf('/') + 1));
  const byName = new Map<string, string>();
  for (const known of knownIds) {
    const name = normalizedName(known);
    const kept = byName.get(name);
    if (kept === undefined || literal(known) < literal(kept)) byName.set(name, known);
  }
  return [...byName]
    .map(([name, known]) => ({known, distance: editDistance(wanted, name)}))
    .filter(({distance}) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.known.localeCompare(b.known))
    .slice(0, 3)
    .map(({known}) => known);
}

/** Describes a value for error messages: `a tensor of shape [2, 3] (float32)`, `'abc' (string)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && 'shape' in value && 'dtype' in value && Array.isArray(value.shape)) {
    const t = value as {shape: number[]; dtype: string};
    return `a tensor of shape [${t.shape.join(', ')}] (${t.dtype})`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return `'${value}' (string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${value} (${typeof value})`;
  if (typeof value === 'function') return 'a function';
  return `an object with keys [${Object.keys(value as object)
    .slice(0, 8)
    .join(', ')}]`;
}

/**
 * The former name of {@link describeValue}.
 * @deprecated Use `describeValue` (`describe` shadows the test runner's `describe`); this alias goes in the next minor release.
 */
export const describe = describeValue;
