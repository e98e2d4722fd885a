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

/** An option or argument has an invalid value (`batchSize: 0`). */
export class ConfigError extends TrellisError {
  override readonly code = 'config';
}

/** A tensor or data set has the wrong shape or rank. */
export class ShapeError extends TrellisError {
  override readonly code = 'shape';
}

/** A tensor has the wrong dtype. */
export class DTypeError extends TrellisError {
  override readonly code = 'dtype';
}

/** Data is unusable: empty, NaN, labels out of range, corrupt or truncated files. */
export class DataError extends TrellisError {
  override readonly code = 'data';
}

/** A file or document is not in the format it claims. */
export class FormatError extends TrellisError {
  override readonly code = 'format';
}

/** Saved state does not fit what it is loaded into. */
export class StateError extends TrellisError {
  override readonly code = 'state';
}

/** A backend could not be loaded or lacks what is asked of it. */
export class BackendError extends TrellisError {
  override readonly code = 'backend';
}

/** An id is not registered. The message lists the known ids of that kind. */
export class UnknownIdError extends TrellisError {
  override readonly code = 'unknown-id';
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly knownIds: readonly string[],
    options: TrellisErrorOptions = {},
  ) {
    const known = knownIds.length === 0 ? 'none are registered' : `known ids: ${knownIds.join(', ')}`;
    super(
      `Unknown ${kind} id '${id}' (${known}). Register the plugin that provides it ` + `(registry.use(plugin)) or check the spelling.`,
      options,
    );
  }
}

/** Describes a value for error messages: `a tensor of shape [2, 3] (float32)`, `'abc' (string)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && 'shape' in value && 'dtype' in value) {
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
