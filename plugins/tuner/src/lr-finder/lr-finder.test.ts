// The range test on linear regression, whose curve gradient descent gives in closed form:
// full-batch SGD on mean squared error diverges once the rate passes 2 / L (L: the Hessian's largest eigenvalue).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, setSeed, withSpec, type Schedule} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lrFinder} from './lr-finder';
import {rangeTestRate} from './range-test-callback';

// Eight rows: x = (s1, 0.5 s2), y = x · W + 0.3 s3 with balanced, mutually orthogonal sign patterns s1, s2, s3.
// Then Xᵀ X / N = diag(1, 0.25), the Hessian of the loss is 2 Xᵀ X / N = diag(2, 0.5): L = 2, so rates above
// 2 / L = 1 diverge; the residual 0.3 s3 is orthogonal to the columns, so the lowest loss is 0.09.
const N = 8;
const W = [2, -3];
const sign = (i: number, bit: number) => ((i >> bit) & 1 ? 1 : -1);
const rows = Array.from({length: N}, (_, i) => [sign(i, 0), 0.5 * sign(i, 1)]);
const targets = rows.map((r, i) => [r[0]! * W[0]! + r[1]! * W[1]! + 0.3 * sign(i, 2)]);
const CRITICAL = 1;

let x: tf.Tensor2D;
let y: tf.Tensor2D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  x = tf.tensor2d(rows);
  y = tf.tensor2d(targets);
});

afterAll(() => tf.dispose([x, y]));

function regression(learningRate: number | Schedule = 0.01) {
  setSeed(3);
  const model = new Sequential([dense({units: 1, useBias: false, inputShape: [2]})]);
  model.compile({optimizer: sgd({learningRate}), loss: meanSquaredError()});
  return model;
}

/** Full-batch gradient descent in float64 from the model's kernel at the given rates: the loss before each step. */
function descend(kernel: number[], rates: readonly number[]): number[] {
  const w = [...kernel];
  const losses: number[] = [];
  for (const rate of rates) {
    const residuals = rows.map((r, i) => r[0]! * w[0]! + r[1]! * w[1]! - targets[i]![0]!);
    losses.push(residuals.reduce((s, e) => s + e * e, 0) / N);
    const grad = [0, 1].map((j) => (2 / N) * residuals.reduce((s, e, i) => s + e * rows[i]![j]!, 0));
    w[0] = w[0]! - rate * grad[0]!;
    w[1] = w[1]! - rate * grad[1]!;
  }
  return losses;
}

/** The first step whose smoothed loss exceeds `factor` times the lowest smoothed loss up to it, or -1. */
function firstDivergence(smoothed: readonly number[], factor: number): number {
  let best = Number.POSITIVE_INFINITY;
  return smoothed.findIndex((s) => {
    best = Math.min(best, s);
    return s > factor * best;
  });
}

const kernelOf = (model: Sequential) => {
  const weights = model.getWeights();
  const values = Array.from(Object.values(weights)[0]!.dataSync());
  tf.dispose(Object.values(weights));
  return values;
};

describe('lrFinder on linear regression', () => {
  it('trains each step at its exponential rate and records the loss gradient descent gives', async () => {
    const model = regression();
    const kernel = kernelOf(model);
    const result = await lrFinder(model, x, y, {minLr: 1e-3, maxLr: 0.5, numSteps: 40, batchSize: N, shuffle: false});
    expect(result.stopReason).toBe('completed');
    expect(result.learningRates).toHaveLength(40);
    expect(result.learningRates[0]).toBe(1e-3);
    expect(result.learningRates[39]).toBeCloseTo(0.5, 12);
    for (let i = 1; i < 40; i++) expect(result.learningRates[i]! / result.learningRates[i - 1]!).toBeCloseTo(500 ** (1 / 39), 12);
    const expected = descend(kernel, result.learningRates);
    for (let i = 0; i < 40; i++) expect(result.losses[i]! / expected[i]!).toBeCloseTo(1, 4);
    // Below the critical rate the loss only falls, towards the residual's 0.09.
    expect(result.losses[39]).toBeLessThan(result.losses[0]! / 10);
    expect(result.losses[39]).toBeGreaterThan(0.09);
    model.dispose();
  });

  it('the smoothed loss is the bias-corrected moving average of the losses', async () => {
    const model = regression();
    const result = await lrFinder(model, x, y, {minLr: 1e-3, maxLr: 0.5, numSteps: 20, batchSize: N, smoothing: 0.9});
    let average = 0;
    result.losses.forEach((loss, i) => {
      average = 0.9 * average + 0.1 * loss;
      expect(result.smoothedLosses[i]).toBeCloseTo(average / (1 - 0.9 ** (i + 1)), 12);
    });
    expect(result.smoothedLosses[0]).toBeCloseTo(result.losses[0]!, 12);
    const raw = await lrFinder(model, x, y, {minLr: 1e-3, maxLr: 0.5, numSteps: 20, batchSize: N, smoothing: 0});
    expect(raw.smoothedLosses).toEqual(raw.losses);
    model.dispose();
  });

  it('stops once the smoothed loss passes divergenceFactor times the best, after the critical rate', async () => {
    const model = regression();
    const options = {minLr: 1e-4, maxLr: 100, numSteps: 100, batchSize: N, shuffle: false} as const;
    const result = await lrFinder(model, x, y, options);
    expect(result.stopReason).toBe('diverged');
    const n = result.losses.length;
    expect(n).toBeLessThan(100);
    expect(result.learningRates[n - 1]).toBeGreaterThan(CRITICAL);
    expect(n - 1).toBe(firstDivergence(result.smoothedLosses, 4));
    // Past the critical rate the error grows by |1 - 2 rate| per step, from float32's rounding of the minimum.
    expect(result.losses[n - 1]).toBeGreaterThan(100 * result.losses[0]!);
    const patient = await lrFinder(model, x, y, {...options, divergenceFactor: 1e6});
    expect(patient.stopReason).toBe('diverged');
    expect(patient.losses.length - 1).toBe(firstDivergence(patient.smoothedLosses, 1e6));
    expect(patient.losses.length).toBeGreaterThan(n);
    // Without the rule the test runs until the loss overflows float32.
    const unbounded = await lrFinder(model, x, y, {...options, divergenceFactor: Number.POSITIVE_INFINITY});
    expect(unbounded.stopReason).toBe('nonFinite');
    expect(Number.isFinite(unbounded.losses.at(-1)!)).toBe(false);
    expect(unbounded.losses.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(unbounded.losses.length).toBeGreaterThan(patient.losses.length);
    expect(unbounded.losses.length).toBeLessThan(100);
    model.dispose();
  });

  it('suggests rates below the critical rate, near the best rate for this bowl', async () => {
    const model = regression();
    const result = await lrFinder(model, x, y, {minLr: 1e-4, maxLr: 100, numSteps: 100, batchSize: N, shuffle: false});
    const {steepest, minimumDividedBy10} = result.suggestions!;
    // Gradient descent on this bowl converges fastest at 2 / (L + μ) = 0.8 and not at all beyond 1: both
    // suggestions lie within a decade and a half below 0.8.
    for (const rate of [steepest, minimumDividedBy10]) {
      expect(rate).toBeLessThan(CRITICAL);
      expect(rate).toBeGreaterThan(0.8 / 30);
    }
    expect(result.suggested).toBe(steepest);
    const minimum = await lrFinder(model, x, y, {
      minLr: 1e-4,
      maxLr: 100,
      numSteps: 100,
      batchSize: N,
      shuffle: false,
      suggest: 'minimumDividedBy10',
    });
    expect(minimum.suggested).toBe(minimumDividedBy10);
    expect(minimumDividedBy10).not.toBe(steepest);
    model.dispose();
  });

  it('no suggestion when the loss explodes before enough points are recorded', async () => {
    const model = regression();
    const result = await lrFinder(model, x, y, {minLr: 10, maxLr: 1000, numSteps: 50, batchSize: N});
    expect(result.stopReason).not.toBe('completed');
    expect(result.losses.length).toBeLessThan(10);
    expect(result.suggestions).toBeNull();
    expect(result.suggested).toBeNull();
    model.dispose();
  });

  it('sets the exact rate over a schedule, and the schedule is back afterwards', async () => {
    const halving = withSpec({id: 'test/halving', config: {}}, (step: number) => 0.1 * 0.5 ** step);
    const scheduled = regression(halving);
    const constant = regression(0.01);
    const options = {minLr: 1e-3, maxLr: 0.5, numSteps: 30, batchSize: N, shuffle: false} as const;
    const a = await lrFinder(scheduled, x, y, options);
    const b = await lrFinder(constant, x, y, options);
    expect(a.learningRates).toEqual(b.learningRates);
    for (let i = 0; i < 30; i++) expect(a.losses[i]! / b.losses[i]!).toBeCloseTo(1, 5);
    expect(scheduled.optimizer.learningRate).toBe(0.1);
    expect(scheduled.optimizer.learningRateScale).toBe(1);
    expect(scheduled.optimizer.step).toBe(0);
    scheduled.dispose();
    constant.dispose();
  });

  it('uses minibatches and passes over the data as often as needed', async () => {
    const model = regression();
    // Batches of 3 out of 8 samples have losses too different for the divergence rule: it is off.
    const options = {minLr: 1e-3, maxLr: 0.1, numSteps: 25, batchSize: 3, divergenceFactor: Number.POSITIVE_INFINITY} as const;
    const result = await lrFinder(model, x, y, options);
    expect(result.stopReason).toBe('completed');
    expect(result.losses).toHaveLength(25);
    expect(result.losses.every(Number.isFinite)).toBe(true);
    expect(result.learningRates.map((_, i) => rangeTestRate(i, options))).toEqual(result.learningRates);
    expect(model.history?.epoch).toHaveLength(9);
    model.dispose();
  });
});
