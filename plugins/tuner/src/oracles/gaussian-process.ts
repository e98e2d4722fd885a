/**
 * Gaussian-process regression with a Matérn 5/2 kernel, as Keras Tuner's
 * Bayesian oracle uses it (scikit-learn's `GaussianProcessRegressor` with
 * `Matern(nu=2.5)`, `normalize_y=True`): targets standardized, `alpha` added
 * to the diagonal, the length scale chosen by marginal likelihood.
 * @module
 */
import {StateError} from '@trellis/core';
import {cholesky, choleskySolve, solveLower, type Matrix} from './cholesky';

/**
 * The Matérn kernel with ν = 5/2 between `a` and `b`:
 * `(1 + √5 r + 5r²/3) · exp(−√5 r)` with `r = ‖a − b‖ / lengthScale`.
 */
export function matern52(a: readonly number[], b: readonly number[], lengthScale: number): number {
  let squared = 0;
  for (let i = 0; i < a.length; i++) squared += (a[i]! - b[i]!) ** 2;
  const r = (Math.sqrt(5) * Math.sqrt(squared)) / lengthScale;
  return (1 + r + (r * r) / 3) * Math.exp(-r);
}

/** The length scales tried when fitting (log-spaced, scikit-learn's bounds trimmed to what a unit cube needs). */
const LENGTH_SCALES = Array.from({length: 31}, (_, i) => 10 ** (-2 + (3 * i) / 30));

/** A fitted Gaussian process: the posterior mean and standard deviation anywhere. */
export interface GaussianProcess {
  /** The length scale the marginal likelihood chose. */
  readonly lengthScale: number;
  /** The posterior at `x`, in the targets' units. */
  predict(x: readonly number[]): {readonly mean: number; readonly std: number};
}

/**
 * Fits a Gaussian process to points `x` (each in the unit cube) and targets
 * `y`. `alpha` is the noise variance added to the kernel's diagonal (in
 * standardized units; default 1e-4, Keras Tuner's). `lengthScale` fixes the
 * length scale; by default the one of 31 log-spaced values in [0.01, 10]
 * with the highest log marginal likelihood is taken.
 */
export function fitGaussianProcess(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: {readonly alpha?: number; readonly lengthScale?: number} = {},
): GaussianProcess {
  const alpha = options.alpha ?? 1e-4;
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const spread = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const scale = spread > 0 ? spread : 1;
  const target = y.map((v) => (v - mean) / scale);

  let best: {lengthScale: number; l: Matrix; weights: number[]; logLikelihood: number} | null = null;
  for (const lengthScale of options.lengthScale === undefined ? LENGTH_SCALES : [options.lengthScale]) {
    const k: Matrix = x.map((a, i) => x.map((b, j) => matern52(a, b, lengthScale) + (i === j ? alpha : 0)));
    let l: Matrix;
    try {
      l = cholesky(k);
    } catch {
      continue;
    }
    const weights = choleskySolve(l, target);
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(l[i]![i]!);
    const fit = target.reduce((s, v, i) => s + v * weights[i]!, 0);
    const logLikelihood = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
    if (best === null || logLikelihood > best.logLikelihood) best = {lengthScale, l, weights, logLikelihood};
  }
  if (best === null)
    throw new StateError('fitGaussianProcess: no length scale gave a positive definite kernel matrix; are the targets finite?');
  const {lengthScale, l, weights} = best;
  return {
    lengthScale,
    predict(point) {
      const kStar = x.map((a) => matern52(a, point, lengthScale));
      const m = kStar.reduce((s, v, i) => s + v * weights[i]!, 0);
      const v = solveLower(l, kStar);
      const variance = Math.max(0, 1 - v.reduce((s, e) => s + e * e, 0));
      return {mean: m * scale + mean, std: Math.sqrt(variance) * scale};
    },
  };
}
