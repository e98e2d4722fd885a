/**
 * The call context of evaluation and prediction.
 * @module
 */
import {createRng} from '../seed';
import type {CallContext} from '../spec/layer';

/** `training: false`, with a fixed seed stream (layers use no randomness at inference). */
export function inferenceContext(): CallContext {
  const rng = createRng(0);
  return {training: false, nextSeed: () => rng.nextSeed()};
}
