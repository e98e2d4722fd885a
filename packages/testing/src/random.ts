/**
 * Seeded test inputs.
 * @module
 */
import {createRng} from '@trellis/core';

/** A seeded generator of floats in [0, 1), so failing tests reproduce. */
export function randomGenerator(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

/** `n` seeded floats uniform in [low, high). */
export function randomValues(n: number, seed: number, low = -1, high = 1): Float32Array {
  const next = randomGenerator(seed);
  return Float32Array.from({length: n}, () => low + (high - low) * next());
}
