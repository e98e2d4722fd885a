/**
 * Option checks shared by the layers (internal).
 * @module
 */
import {ConfigError, defaultRegistry, describe} from '@trellis/core';

/** Returns `value` (or `fallback` when undefined) after checking it is a boolean. */
export function checkBoolean(kind: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`${kind}: ${option} must be a boolean; got ${describe(value)}.`);
  return value;
}

/** Returns `value` (or `fallback` when undefined) after checking `test`; `expected` words the rule. */
export function numberOption(
  kind: string,
  option: string,
  value: unknown,
  fallback: number,
  test: (n: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !test(value)) {
    throw new ConfigError(`${kind}: ${option} must be ${expected}; got ${describe(value)}.`);
  }
  return value;
}

/**
 * Checks that an initializer, regularizer or constraint option is a Trellis
 * object with a spec (so the layer can be saved). An id (`'he_normal'`,
 * `'l2'`, `'maxNorm'`) is resolved through `defaultRegistry()`, of the kind the
 * option's name ends with (`…Initializer`, `…Regularizer`, `…Constraint`):
 * `createTrellis()` fills it.
 * @throws ConfigError for a value of another type; UnknownIdError (naming the close matches) for an unknown id.
 */
export function checkSerializable<T>(kind: string, option: string, value: T | string | null | undefined): T | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') {
    const of = option.endsWith('Initializer') ? 'initializer' : option.endsWith('Regularizer') ? 'regularizer' : 'constraint';
    return defaultRegistry().resolve(of, value) as T;
  }
  const spec = (value as {spec?: {id?: unknown}}).spec;
  if (typeof value !== 'function' || !spec || typeof spec.id !== 'string') {
    throw new ConfigError(
      `${kind}: ${option} must be a Trellis object with a spec (e.g. glorotUniform(), l2(1e-4)) or an id ('glorot_uniform', 'l2'); got ${describe(value)}.`,
    );
  }
  return value;
}

/** Checks a layer seed option: null or an integer in [0, 2^32). */
export function seedOption(kind: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 32) {
    throw new ConfigError(`${kind}: seed must be an integer in [0, 2^32); got ${describe(value)}.`);
  }
  return value;
}
