import {describe, expect, it} from 'vitest';
import {suggestLearningRates} from './suggest';

/** Rates 10^e for the exponents given. */
const rates = (...exponents: number[]) => exponents.map((e) => 10 ** e);

describe('suggestLearningRates', () => {
  it('steepest is the left end of the steepest segment; minimumDividedBy10 a tenth of the lowest loss rate', () => {
    const r = rates(-5, -4, -3, -2, -1, 0, 1);
    // Drops per decade: 0.1, 0.5, 2, 1, 0.2, then up: the steepest segment starts at 1e-3, the lowest loss is at 1e0.
    const losses = [5, 4.9, 4.4, 2.4, 1.4, 1.2, 9];
    const s = suggestLearningRates(r, losses, 0, 0)!;
    expect(s.steepest).toBe(1e-3);
    expect(s.minimumDividedBy10).toBe(1 / 10);
  });

  it('divides each drop by its distance in log rate', () => {
    // The drop 1 -> 0.9 spans a tenth of a decade (slope -1 per decade), the drop 0.9 -> 0.3 a whole decade (-0.6).
    const r = rates(-3, -2.9, -1.9);
    const s = suggestLearningRates(r, [1, 0.9, 0.3], 0, 0)!;
    expect(s.steepest).toBe(r[0]);
    // Uniform spacing would have picked the larger drop.
    expect(suggestLearningRates(rates(-3, -2, -1), [1, 0.9, 0.3], 0, 0)!.steepest).toBe(1e-2);
  });

  it('leaves out the first skipStart and the last skipEnd points', () => {
    const r = rates(-6, -5, -4, -3, -2, -1, 0);
    const losses = [0.1, 3, 2.5, 2, 1.8, 1.9, 0.01];
    // The lowest losses (the first and the last point) are skipped.
    const s = suggestLearningRates(r, losses, 1, 1)!;
    expect(s.minimumDividedBy10).toBeCloseTo(1e-3, 15);
    expect(s.steepest).toBe(r[1]);
    expect(suggestLearningRates(r, losses, 0, 0)!.minimumDividedBy10).toBeCloseTo(1e-1, 15);
  });

  it('stops at the first non-finite loss', () => {
    const r = rates(-4, -3, -2, -1, 0);
    const s = suggestLearningRates(r, [3, 2, Number.NaN, 0.1, 0.01], 0, 0)!;
    expect(s.minimumDividedBy10).toBeCloseTo(1e-4, 15);
    expect(s.steepest).toBe(r[0]);
    expect(suggestLearningRates(r, [3, 2, 1, Number.POSITIVE_INFINITY, 0], 0, 0)!.minimumDividedBy10).toBeCloseTo(1e-3, 15);
  });

  it('ties go to the first point', () => {
    const s = suggestLearningRates(rates(-3, -2, -1, 0), [2, 1, 1, 0], 0, 1)!;
    expect(s.minimumDividedBy10).toBeCloseTo(1e-3, 15);
    expect(s.steepest).toBe(1e-3);
  });

  it('null when fewer than two points are left', () => {
    const r = rates(-3, -2, -1);
    expect(suggestLearningRates(r, [3, 2, 1], 1, 1)).toBeNull();
    expect(suggestLearningRates(r, [3, 2, 1], 0, 5)).toBeNull();
    expect(suggestLearningRates(r, [Number.NaN, 2, 1], 0, 0)).toBeNull();
    expect(suggestLearningRates([], [], 0, 0)).toBeNull();
    const two = suggestLearningRates(r, [3, 2, 1], 1, 0)!;
    expect(two.steepest).toBe(1e-2);
    expect(two.minimumDividedBy10).toBeCloseTo(1e-2, 15);
  });
});
