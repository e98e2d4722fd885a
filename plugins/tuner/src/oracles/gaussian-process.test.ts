// The linear algebra and the Gaussian process against numbers worked out by hand.
import {StateError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {cholesky, choleskySolve} from './cholesky';
import {fitGaussianProcess, matern52} from './gaussian-process';

describe('cholesky', () => {
  it('factors the textbook matrix and solves with it', () => {
    const a = [
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ];
    expect(cholesky(a)).toEqual([
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ]);
    // A · [1, 2, 3] = [-20, -43, 192]
    const x = choleskySolve(cholesky(a), [-20, -43, 192]);
    x.forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3][i]!, 10));
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(StateError);
  });
});

describe('matern52', () => {
  it('is 1 at distance 0 and (1 + √5 + 5/3)·e^−√5 at one length scale', () => {
    expect(matern52([0.3, 0.4], [0.3, 0.4], 0.5)).toBe(1);
    expect(matern52([0, 0], [0.3, 0.4], 0.5)).toBeCloseTo((1 + Math.sqrt(5) + 5 / 3) * Math.exp(-Math.sqrt(5)), 14);
  });
});

describe('fitGaussianProcess', () => {
  it('interpolates its points (std near 0) and falls back to the prior far from them', () => {
    const x = [[0.1], [0.4], [0.5], [0.9]];
    const y = [3, -1, 0.5, 2];
    const gp = fitGaussianProcess(x, y, {lengthScale: 0.2});
    x.forEach((p, i) => {
      const {mean, std} = gp.predict(p);
      expect(mean).toBeCloseTo(y[i]!, 2);
      expect(std).toBeLessThan(0.05);
    });
    const mean = y.reduce((a, b) => a + b) / y.length;
    const spread = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length);
    const far = fitGaussianProcess([[0], [0.05]], [1, 2], {lengthScale: 0.01}).predict([1]);
    expect(far.mean).toBeCloseTo(1.5, 6);
    expect(far.std).toBeCloseTo(0.5, 6);
    expect(spread).toBeGreaterThan(0);
  });

  it('picks a long length scale for a smooth function and a short one for a rough one', () => {
    const xs = Array.from({length: 12}, (_, i) => [i / 11]);
    const smooth = fitGaussianProcess(
      xs,
      xs.map(([v]) => v! * 2),
    );
    const rough = fitGaussianProcess(
      xs,
      xs.map((_, i) => (i % 2 === 0 ? 1 : -1)),
    );
    expect(smooth.lengthScale).toBeGreaterThan(rough.lengthScale * 5);
  });
});
