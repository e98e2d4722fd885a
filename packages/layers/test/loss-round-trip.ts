/**
 * The round trip of a loss' spec through a registry, shared by the loss and
 * plugin tests (not exported).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Loss, createRegistry} from '@trellis/core';
import {expect} from 'vitest';

/**
 * Resolves `loss`' spec (through JSON) in `registry` and checks that the
 * rebuilt loss has the same spec, name, target kind and `fromLogits`, and
 * computes the same values on `yPred` `[2, 3]` with fitting targets; `check`
 * sees the original's output first. Disposes what it creates.
 */
export function expectLossRoundTrip(
  registry: ReturnType<typeof createRegistry>,
  loss: Loss,
  yPred: tf.Tensor,
  check?: (output: tf.Tensor) => void,
): void {
  const rebuilt = registry.resolve('loss', JSON.parse(JSON.stringify(loss.spec)));
  expect(rebuilt.spec).toEqual(loss.spec);
  expect([rebuilt.name, rebuilt.targetKind, rebuilt.fromLogits]).toEqual([loss.name, loss.targetKind, loss.fromLogits]);
  const yTrue = loss.targetKind === 'sparse' ? tf.tensor1d([2, 0], 'int32') : tf.tensor2d([0, 0, 1, 1, 0, 0], [2, 3]);
  const a = loss(yTrue, yPred);
  const b = rebuilt(yTrue, yPred);
  check?.(a);
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([yTrue, a, b]);
}
