/**
 * Leak checks built on `tf.memory().numTensors`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkOptions, optionKeys} from '@trellis/core';

/** The tensor count after each call of a repeated action. */
export interface TensorCounts {
  /** `tf.memory().numTensors` before the first call. */
  readonly before: number;
  /** The count after each call, in order. */
  readonly after: readonly number[];
}

/**
 * Runs `action` `times` times (awaiting it) and records the tensor count
 * after each run. A leak-free action that allocates lasting state on its
 * first run (optimizer slots) has a flat count from the first run on.
 */
export async function countTensorsAcross(times: number, action: (run: number) => unknown | Promise<unknown>): Promise<TensorCounts> {
  const before = tf.memory().numTensors;
  const after: number[] = [];
  for (let run = 0; run < times; run++) {
    await action(run);
    after.push(tf.memory().numTensors);
  }
  return {before, after};
}

/** Options of {@link expectNoTensorLeaks}. */
export type ExpectNoTensorLeaksOptions = {
  /** How many times to run the action (default 3). */
  readonly times?: number;
};

const KEYS = optionKeys<ExpectNoTensorLeaksOptions>({times: true});

/**
 * Throws unless the tensor count after every run of `action` equals the count
 * after the first run (so one-time allocations are allowed, growth is not).
 *
 * @returns the counts, for further assertions.
 * @throws ConfigError (from `@trellis/core`) for an unknown option, before running anything.
 */
export async function expectNoTensorLeaks(
  action: (run: number) => unknown | Promise<unknown>,
  options: ExpectNoTensorLeaksOptions = {},
): Promise<TensorCounts> {
  checkOptions('expectNoTensorLeaks', options, KEYS);
  const counts = await countTensorsAcross(options.times ?? 3, action);
  const first = counts.after[0];
  const grown = counts.after.findIndex((n) => n !== first);
  if (grown !== -1) {
    throw new Error(
      `Tensor leak: ${first} tensors after run 1 but ${counts.after[grown]} after run ${grown + 1} ` +
        `(counts: ${counts.after.join(', ')}).`,
    );
  }
  return counts;
}

/**
 * Runs `fn` and throws if it leaves more tensors alive than it returns
 * (returned tensors are counted as intended). Works for throwing functions
 * too: a throw must leave no tensor behind.
 */
export async function expectNoNewTensors(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  let result: unknown;
  try {
    result = await fn();
  } catch {
    // A throw is fine; what it leaves behind is what is checked.
  }
  const owned = countTensorsIn(result);
  const after = tf.memory().numTensors;
  if (after - owned !== before) {
    throw new Error(`Tensor leak: ${before} tensors before, ${after} after (${owned} returned).`);
  }
}

function countTensorsIn(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof tf.Tensor) return value.isDisposed ? 0 : 1;
  let n = 0;
  for (const v of Object.values(value)) n += countTensorsIn(v, seen);
  return n;
}
