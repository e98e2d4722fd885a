/**
 * Seeding: one seeded stream feeds initializers, dropout and shuffling.
 * @module
 */
import {ConfigError, describe} from './errors';

const KEY = Symbol.for('@trellis/core/seed@1');

interface SeedState {
  seed: number | null;
  state: number;
}

function global(): SeedState {
  const g = globalThis as Record<symbol, SeedState | undefined>;
  return (g[KEY] ??= {seed: null, state: (Math.random() * 2 ** 32) >>> 0});
}

/**
 * Seeds every source of randomness Trellis controls: weight initializers that
 * have no seed of their own, dropout masks and the shuffling in `fit`. Two runs
 * that call `setSeed(42)` first (same backend, same code) give bit-identical
 * weights on the cpu backend.
 *
 * @param seed - an integer in [0, 2^32).
 */
export function setSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new ConfigError(`setSeed expects an integer in [0, 2^32); got ${describe(seed)}.`);
  }
  const s = global();
  s.seed = seed;
  s.state = seed >>> 0;
}

/** The seed last given to `setSeed`, or null. */
export function getSeed(): number | null {
  return global().seed;
}

/** The next integer seed in [0, 2^31) from the global stream (splitmix32). */
export function nextSeed(): number {
  const s = global();
  s.state = (s.state + 0x9e3779b9) >>> 0;
  return mix(s.state) >>> 1;
}

function mix(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A small seeded generator for host-side randomness (shuffling). */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer seed in [0, 2^31). */
  nextSeed(): number;
  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends {length: number; [i: number]: unknown}>(array: T): T;
  /** Where the generator is: an integer in [0, 2^32) that {@link Rng.setState} takes back (to resume a run). */
  state(): number;
  /** Moves the generator to a `state()` it had: the numbers that follow are the ones that followed then. */
  setState(state: number): void;
}

/** Creates a generator (mulberry32) from `seed`; same seed, same sequence. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => u32() / 2 ** 32,
    nextSeed: () => u32() >>> 1,
    state: () => a,
    setState(state) {
      if (!Number.isInteger(state) || state < 0 || state >= 2 ** 32) {
        throw new ConfigError(`Rng.setState expects an integer in [0, 2^32) from state(); got ${describe(state)}.`);
      }
      a = state >>> 0;
    },
    shuffle(array) {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor((u32() / 2 ** 32) * (i + 1));
        const tmp = array[i];
        array[i] = array[j];
        array[j] = tmp;
      }
      return array;
    },
  };
}
