// Shared by the tests of this package.
import * as tf from '@tensorflow/tfjs-core';

/** A model's weights as plain numbers, by name (the copies `getWeights` returns are disposed). */
export function weightValues(model: {getWeights(): Record<string, tf.Tensor>}): Record<string, number[]> {
  const weights = model.getWeights();
  const values = Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(weights));
  return values;
}
