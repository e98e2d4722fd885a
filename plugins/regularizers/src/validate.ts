import {ConfigError, describe} from '@trellis/core';

/**
 * Checks that `value` is a finite, non-negative number.
 *
 * @param usage - how to call `owner` (both forms), appended to the message when given.
 * @throws ConfigError naming `owner` and `name` otherwise.
 */
export function checkRate(owner: string, name: string, value: unknown, usage?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${owner}: ${name} must be a finite non-negative number; got ${describe(value)}.${callAs(usage)}`);
  }
  return value;
}

/**
 * Checks a norm axis config (an integer or a non-empty list of distinct integers).
 *
 * @param usage - how to call `owner` (both forms), appended to the message when given.
 * @throws ConfigError naming `owner` and `axis` otherwise.
 */
export function checkAxis(owner: string, axis: unknown, usage?: string): number | number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  if (list.length === 0 || !list.every((a) => Number.isInteger(a)) || new Set(list).size !== list.length) {
    throw new ConfigError(
      `${owner}: axis must be an integer or a non-empty list of distinct integers; got ${describe(axis)}.${callAs(usage)}`,
    );
  }
  return Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
}

/**
 * Resolves `axis` (negative counts from the end) against a weight of `rank`.
 *
 * @throws ConfigError naming `owner` and `axis` when an axis lies outside the rank (the constraint's
 *   configuration does not fit the weight it was given).
 */
export function resolveAxes(owner: string, axis: number | readonly number[], rank: number): number[] {
  const list = typeof axis === 'number' ? [axis] : axis;
  return list.map((a) => {
    if (a < -rank || a >= rank) {
      throw new ConfigError(
        `${owner}: axis ${a} is outside a weight of rank ${rank} (valid: ${-rank}..${rank - 1}). Pick an axis of the weight's shape.`,
      );
    }
    return a < 0 ? a + rank : a;
  });
}

/** ` Call it as <usage>.`, or nothing. */
function callAs(usage: string | undefined): string {
  return usage === undefined ? '' : ` Call it as ${usage}.`;
}
