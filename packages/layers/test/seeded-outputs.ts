/**
 * The seeding check shared by the tests of the random layers.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {callContext} from '@trellis/testing';
import {expect} from 'vitest';

/**
 * Checks how a random layer is seeded, on input `x` in training: new layers
 * called with the same context seed give the same output, context seeds 3
 * and 4 give different outputs, and with the layer seed `layerSeed` the
 * context seed does not matter. `make(seed)` builds a new layer with that
 * layer seed (`null`: none).
 */
export function expectSeededOutputs(x: tf.Tensor, make: (seed: number | null) => Layer, layerSeed = 12): void {
  const run = (contextSeed: number, seed: number | null = null) => {
    const y = make(seed).call(x, callContext(true, contextSeed));
    const v = Array.from(y.dataSync());
    y.dispose();
    return v;
  };
  expect(run(3)).toEqual(run(3));
  expect(run(3)).not.toEqual(run(4));
  expect(run(3, layerSeed)).toEqual(run(4, layerSeed));
}
