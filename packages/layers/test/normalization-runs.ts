/**
 * The float64 comparison shared by the tests of the normalization layers
 * with a scale and an offset (not exported).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {expect} from 'vitest';
import {callContext, closeness} from './testing';

/** A built layer with the scale `gamma` and the offset `beta` as variables. */
type ScaledLayer = Layer & {readonly gamma?: tf.Variable | null; readonly beta?: tf.Variable | null};

/** The float64 output and gradients (of `sum(dy · y)`) a normalization layer must match. */
type NormalizationReference = {
  readonly y: readonly number[];
  readonly dx: readonly number[];
  readonly dgamma: readonly number[];
  readonly dbeta: readonly number[];
};

/**
 * Calls `layer` on `xs` of `shape` (in training when `forwardTraining`) and
 * takes the gradients of `sum(dys · layer(x))` (in training when
 * `backwardTraining`) with respect to the input, gamma and beta; checks the
 * output shape and that the output and the gradients of the input and gamma
 * are within 1e-5 / 1e-4 / 1e-4 relative (1e-5 absolute) of `ref`, the
 * gradient of beta within 1e-5. Disposes what it made.
 */
export function expectNormalizationMatches(
  layer: ScaledLayer,
  {xs, dys, shape}: {readonly xs: number[]; readonly dys: number[]; readonly shape: number[]},
  ref: NormalizationReference,
  {forwardTraining, backwardTraining}: {readonly forwardTraining: boolean; readonly backwardTraining: boolean},
): void {
  const x = tf.tensor(xs, shape);
  const dy = tf.tensor(dys, shape);
  const objective = (input: tf.Tensor) => tf.sum(tf.mul(dy, layer.call(input, callContext(backwardTraining)))) as tf.Scalar;
  const y = layer.call(x, callContext(forwardTraining));
  const dx = tf.grad(objective)(x);
  const {grads} = tf.variableGrads(() => objective(x), [layer.gamma!, layer.beta!]);
  expect(y.shape).toEqual(shape);
  expect(closeness(y.dataSync(), ref.y, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
  expect(closeness(dx.dataSync(), ref.dx, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
  expect(closeness(grads[layer.gamma!.name]!.dataSync(), ref.dgamma, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
  expect(closeness(grads[layer.beta!.name]!.dataSync(), ref.dbeta, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
  tf.dispose([x, dy, y, dx, ...Object.values(grads)]);
}
