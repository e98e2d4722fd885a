/**
 * The leak check the confusion metrics' tests share.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Metric, StateTree} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';

/**
 * Runs update, merge and result on `m` over one batch of two rows (`labels`, `predictions` and
 * the weights `[1, 0.5]`), a new state each time and the old one disposed, and checks that the
 * cycle leaks no tensor; frees everything.
 */
export async function expectMergeCyclesLeakFree<S extends StateTree & tf.TensorContainer>(
  m: Metric<S>,
  labels: number[][],
  predictions: number[][],
): Promise<void> {
  const [t, p, w] = [tf.tensor2d(labels), tf.tensor2d(predictions), tf.tensor1d([1, 0.5])];
  let state = m.init();
  await expectNoTensorLeaks(() => {
    const next = m.update(state, t, p, w);
    const merged = m.merge!(next, next);
    tf.dispose([state, next]);
    state = merged;
    m.result(state).dispose();
  });
  tf.dispose([state, t, p, w]);
}
