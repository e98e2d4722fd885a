// Shared by the tests of this package.
import {Sequential, adam, dense, meanSquaredError, setSeed} from '../src/index';

/** How {@link twoLayerRegressor} is made. */
export interface TwoLayerRegressorOptions {
  /** Passed to `setSeed` before the layers are made, so the initial weights are reproducible. */
  readonly seed: number;
  /** The number of input features (`inputShape: [inputs]`). */
  readonly inputs: number;
  /** The activation of the hidden layer. */
  readonly activation: 'tanh' | 'relu';
  /** The model's name (default: Sequential's own). */
  readonly name?: string;
}

/**
 * A compiled regressor `[batch, inputs]` → `[batch, 2]` (float32): dense(4,
 * `activation`), then dense(2), trained by Adam (learning rate 0.01) on mean
 * squared error. The caller disposes it.
 */
export function twoLayerRegressor({seed, inputs, activation, name}: TwoLayerRegressorOptions): Sequential {
  setSeed(seed);
  const model = new Sequential([dense({units: 4, activation, inputShape: [inputs]}), dense({units: 2})], name === undefined ? {} : {name});
  model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
  return model;
}
