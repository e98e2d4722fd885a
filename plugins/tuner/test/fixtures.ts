// Small synthetic problems for the tuner's tests.
import * as tf from '@tensorflow/tfjs-core';
import {Sequential} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import type {HyperParameters} from '../src/index';

/**
 * A quadratic bowl whose best learning rate is known: y = x · w with 4
 * orthogonal input columns of equal norm (mean(x²) = 5 for each), so the
 * MSE's Hessian is 2 · 5 · I = 10 · I and full-batch gradient descent from
 * w = 0 lands on w exactly after one step of rate 1/10. After `epochs`
 * steps the loss is loss₀ · (1 − 10·lr)^(2·epochs) from any start: the best rate is 0.1.
 */
export function bowl(): {x: tf.Tensor2D; y: tf.Tensor2D; bestRate: number} {
  const n = 16;
  // Columns of a 16×16 Hadamard-like ±√5 pattern: orthogonal, each with mean square 5.
  const rows = Array.from({length: n}, (_, i) => [0, 1, 2, 3].map((j) => Math.sqrt(5) * (((i >> j) & 1) === 0 ? 1 : -1)));
  const x = tf.tensor2d(rows);
  const y = tf.tidy(() => tf.matMul(x, tf.tensor2d([[0.5], [-1], [2], [1]]))) as tf.Tensor2D;
  return {x, y, bestRate: 0.1};
}

/** The closed-form loss of {@link bowl} after `epochs` full-batch steps at `rate` from w = 0 (float64). */
export function bowlLoss(rate: number, epochs: number): number {
  const initial = (0.5 ** 2 + 1 + 4 + 1) * 5; // mean((x·w*)²) with orthogonal columns of mean square 5
  return initial * (1 - 10 * rate) ** (2 * epochs);
}

/** Linear model for the bowl: one dense unit, no bias, SGD with `hp.float('lr')`. */
export function bowlModel(hp: HyperParameters, range: {min: number; max: number} = {min: 1e-2, max: 1}) {
  const model = new Sequential([dense({units: 1, useBias: false, inputShape: [4]})]);
  model.compile({optimizer: sgd({learningRate: hp.float('lr', {...range, sampling: 'log'})}), loss: meanSquaredError()});
  return model;
}

/** A tiny regression: 2 inputs → 1 target, 32 rows. */
export function regression(): {x: tf.Tensor2D; y: tf.Tensor2D} {
  const rows = Array.from({length: 32}, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7)]);
  const x = tf.tensor2d(rows);
  const y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5)) as tf.Tensor2D;
  return {x, y};
}

/** An MLP for {@link regression} with `units` and `lr` hyperparameters. */
export function mlp(hp: HyperParameters) {
  const model = new Sequential([
    dense({units: hp.int('units', {min: 2, max: 8, step: 2}), activation: 'tanh', inputShape: [2]}),
    dense({units: 1}),
  ]);
  model.compile({optimizer: sgd({learningRate: hp.float('lr', {min: 1e-3, max: 0.3, sampling: 'log'})}), loss: meanSquaredError()});
  return model;
}
