// The one assertion of the hostile-input suite: bad input is refused with the
// right Trellis error, a message naming what was wrong, and no leaked tensor.
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'vitest';
import {isTrellisError} from '@trellis/core';

/** A Trellis error class (`ConfigError`, `ShapeError`, ...): what `expectRefused` checks against. */
export type TrellisErrorClass = {readonly name: string; is(error: unknown): boolean};

/**
 * Runs `fn` (sync or async) and asserts that it throws (or rejects with) an
 * error of `ErrorClass` (or of one of the classes, when given a list),
 * checked with `ErrorClass.is(e)` — a typed Trellis error, never a bare
 * `TypeError`/`RangeError` or a plain tfjs `Error` — whose message contains
 * every fragment, and that `tf.memory().numTensors` is the same after as
 * before. Create the inputs before calling it and dispose them after.
 *
 * @returns the error, for further assertions.
 */
export async function expectRefused(
  fn: () => unknown,
  ErrorClass: TrellisErrorClass | readonly TrellisErrorClass[],
  ...fragments: readonly (string | number)[]
): Promise<Error> {
  const classes: readonly TrellisErrorClass[] = Array.isArray(ErrorClass) ? ErrorClass : [ErrorClass as TrellisErrorClass];
  const wanted = classes.map((c) => c.name).join(' or ');
  const before = tf.memory().numTensors;
  let error: unknown;
  let returned = false;
  try {
    await fn();
    returned = true;
  } catch (e) {
    error = e;
  }
  const after = tf.memory().numTensors;
  if (returned) expect.fail(`expected a ${wanted}, but it was accepted (returned normally)`);
  const got = describeError(error);
  expect(isTrellisError(error), `expected a ${wanted}, got ${got}`).toBe(true);
  expect(
    classes.some((c) => c.is(error)),
    `expected a ${wanted}, got ${got}`,
  ).toBe(true);
  const message = (error as Error).message;
  for (const fragment of fragments) {
    expect(message, `the message should name ${JSON.stringify(String(fragment))}`).toContain(String(fragment));
  }
  expect(after, `tensors leaked: ${before} before, ${after} after (${got})`).toBe(before);
  return error as Error;
}

/** `ConfigError: batchSize must be ...` for messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor?.name ?? error.name} (${error.name}): ${error.message}`;
  return `a thrown ${typeof error}: ${String(error)}`;
}
