/**
 * The update leak checks the metrics' tests share.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Metric, StateTree} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';

/**
 * Runs init, one update on `yTrue`, `yPred` (and `sampleWeight` when given)
 * and result on `m`, disposes the two states and the result, and checks
 * that the cycle leaks no tensor. The batch tensors stay the caller's.
 */
export async function expectUpdateCycleLeakFree<S extends StateTree & tf.TensorContainer>(
  m: Metric<S>,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight?: tf.Tensor,
): Promise<void> {
  await expectNoTensorLeaks(() => {
    const state = m.init();
    const next = m.update(state, yTrue, yPred, sampleWeight);
    const result = m.result(next);
    tf.dispose([state, next, result]);
  });
}

/**
 * Feeds `m` the same batch on every leak-check run, one state carried from
 * run to run (a new state each time and the old one disposed, a result read
 * and disposed), and checks that the cycle leaks no tensor; frees the last
 * state. The batch tensors stay the caller's.
 */
export async function expectCarriedStateLeakFree<S extends StateTree & tf.TensorContainer>(
  m: Metric<S>,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight: tf.Tensor,
): Promise<void> {
  let state = m.init();
  await expectNoTensorLeaks(() => {
    const next = m.update(state, yTrue, yPred, sampleWeight);
    tf.dispose(state);
    state = next;
    tf.dispose(m.result(state));
  });
  tf.dispose(state);
}
