/**
 * Random points that no trial has had yet (Keras Tuner's `_random_values`,
 * with its 20 redraws on a collision).
 * @module
 */
import {createRng, type Rng} from '@trellis/core';
import type {HpValue, HyperParameter} from '../space/hyperparameter';
import {randomValues, valuesKey} from '../space/values';
import type {Trial} from '../trial';

const MAX_COLLISIONS = 20;

/** A seeded stream of random points. */
export class RandomPoints {
  readonly #rng: Rng;

  constructor(seed: number) {
    this.#rng = createRng(seed);
  }

  /** The underlying generator (the Bayesian oracle draws its candidates from it too). */
  get rng(): Rng {
    return this.#rng;
  }

  /**
   * A random point of `space` that none of `trials` has, or null after 21
   * draws that all collided (the space is exhausted); then the stream is
   * left where it was, so asking again later draws the same numbers.
   */
  draw(space: readonly HyperParameter[], trials: readonly Trial[]): Record<string, HpValue> | null {
    const tried = new Set(trials.map((t) => valuesKey(t.hyperparameters)));
    const start = this.#rng.state();
    for (let attempt = 0; attempt <= MAX_COLLISIONS; attempt++) {
      const values = randomValues(space, this.#rng);
      if (!tried.has(valuesKey(values))) return values;
    }
    this.#rng.setState(start);
    return null;
  }
}
